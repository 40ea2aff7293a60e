namespace VaeSharp.Imputation;

/// <summary>
/// Fills the missing entries of a table, scikit-learn style: <c>Fit</c> learns from a reference table with holes,
/// <c>Transform</c> completes another with the same columns, keeping every observed value exactly.
/// </summary>
public interface IImputer
{
    /// <summary>The method's short name, as in tables and <c>--method</c>: vae, mean, knn, iterative or forest; a blend's is its parts', "forest+knn".</summary>
    string Name { get; }

    /// <summary>Learns what the method needs from <paramref name="reference"/>; returns this imputer.</summary>
    IImputer Fit(MissingData reference);

    /// <summary>A completed copy of <paramref name="data"/>: (Rows, Cols), observed values unchanged.</summary>
    float[] Transform(MissingData data);
}

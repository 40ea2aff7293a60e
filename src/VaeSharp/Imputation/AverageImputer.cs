namespace VaeSharp.Imputation;

/// <summary>An ensemble of two families: each missing entry is the mean of what the two imputers say.</summary>
/// <param name="first">One imputer.</param>
/// <param name="second">The other.</param>
public sealed class AverageImputer(IImputer first, IImputer second) : IImputer
{
    /// <inheritdoc />
    public string Name => $"{first.Name}+{second.Name}";

    /// <inheritdoc />
    public IImputer Fit(MissingData reference)
    {
        first.Fit(reference);
        second.Fit(reference);
        return this;
    }

    /// <inheritdoc />
    public float[] Transform(MissingData data) => Average(first.Transform(data), second.Transform(data));

    /// <summary>The entrywise mean of two completions of the same shape.</summary>
    public static float[] Average(float[] a, float[] b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"{a.Length} and {b.Length} entries");
        var result = new float[a.Length];
        for (int i = 0; i < a.Length; i++) result[i] = 0.5f * (a[i] + b[i]);
        return result;
    }
}

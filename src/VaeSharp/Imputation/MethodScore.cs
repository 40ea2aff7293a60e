namespace VaeSharp.Imputation;

/// <summary>How one method did on the cells a <see cref="HeldOutCheck"/> held out.</summary>
/// <param name="Method">The method's name, as <c>--method</c> spells it.</param>
/// <param name="Rmse">The RMSE on held-out numeric cells in column standard deviations; null when none was held out.</param>
/// <param name="Accuracy">The share of held-out categorical cells imputed right; null when none was held out.</param>
/// <param name="ErrorQuantiles">Per numeric column, the half-width of its 90% interval from the absolute errors, in the column's units.</param>
public sealed record MethodScore(string Method, double? Rmse, double? Accuracy, IReadOnlyList<float> ErrorQuantiles)
{
    /// <summary>What the selection minimizes: the RMSE, or for a table with no numeric column the error rate.</summary>
    public double Loss => Rmse ?? 1 - (Accuracy ?? 0);
}

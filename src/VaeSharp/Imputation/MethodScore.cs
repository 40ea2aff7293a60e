namespace VaeSharp.Imputation;

/// <summary>How one method did on the cells a <see cref="HeldOutCheck"/> held out.</summary>
/// <param name="Method">The method's name, as <c>--method</c> spells it.</param>
/// <param name="Rmse">The RMSE on held-out numeric cells in column standard deviations; null when none was held out.</param>
/// <param name="Accuracy">The share of held-out categorical cells imputed right; null when none was held out.</param>
/// <param name="HalfWidths">Per numeric column, the half-width of its 90% interval, in the column's units: one split-conformal quantile over every held-out cell of the errors divided by their column's mean absolute error, times that column's mean absolute error.</param>
public sealed record MethodScore(string Method, double? Rmse, double? Accuracy, IReadOnlyList<float> HalfWidths)
{
    /// <summary>What the selection minimizes: the RMSE, or where no numeric cell was scored (no numeric column, or none the table misses) the error rate; infinite for a NaN (a method that diverged), which must never win.</summary>
    public double Loss => (Rmse ?? 1 - (Accuracy ?? 0)) is var loss && double.IsNaN(loss) ? double.PositiveInfinity : loss;
}

namespace VaeSharp.Imputation;

/// <summary>Errors of an imputation against the truth, over the entries that were missing only.</summary>
/// <param name="Rmse">Root mean squared error.</param>
/// <param name="Mae">Mean absolute error.</param>
/// <param name="Count">How many missing entries were scored.</param>
public readonly record struct ImputationScores(double Rmse, double Mae, long Count)
{
    /// <summary>Scores <paramref name="imputed"/> against <paramref name="truth"/> where <paramref name="mask"/> is 0.</summary>
    /// <param name="truth">The complete values: (rows, cols).</param>
    /// <param name="imputed">The completed values: (rows, cols).</param>
    /// <param name="mask">1 observed (not scored), 0 missing (scored).</param>
    public static ImputationScores Compute(ReadOnlySpan<float> truth, ReadOnlySpan<float> imputed, ReadOnlySpan<byte> mask)
    {
        if (truth.Length != imputed.Length || truth.Length != mask.Length)
            throw new ArgumentException($"truth ({truth.Length}), imputed ({imputed.Length}) and mask ({mask.Length}) differ in length");
        double squared = 0, absolute = 0;
        long count = 0;
        for (int i = 0; i < truth.Length; i++)
        {
            if (mask[i] != 0) continue;
            double error = imputed[i] - truth[i];
            squared += error * error;
            absolute += Math.Abs(error);
            count++;
        }
        return count == 0 ? new ImputationScores(0, 0, 0) : new ImputationScores(Math.Sqrt(squared / count), absolute / count, count);
    }
}

namespace VaeSharp.Plotting;

/// <summary>
/// The quantile function (inverse CDF) of the standard normal distribution, by Peter Acklam's rational
/// approximation: a central rational function and two tail ones in sqrt(−2 log p), with relative error below 1.15e-9,
/// which is far finer than any grid of pictures needs.
/// </summary>
public static class NormalQuantile
{
    private static readonly double[] A = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
    private static readonly double[] B = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
    private static readonly double[] C = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
    private static readonly double[] D = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];

    private const double LowerBreak = 0.02425;

    /// <summary>The z with Φ(z) = <paramref name="probability"/>; ±∞ at 0 and 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The probability is outside [0, 1] or NaN.</exception>
    public static double Inverse(double probability)
    {
        if (!(probability >= 0 && probability <= 1)) throw new ArgumentOutOfRangeException(nameof(probability), probability, "a probability lies in [0, 1]");
        if (probability == 0) return double.NegativeInfinity;
        if (probability == 1) return double.PositiveInfinity;
        if (probability < LowerBreak) return Tail(probability);
        if (probability > 1 - LowerBreak) return -Tail(1 - probability);
        double q = probability - 0.5, r = q * q;
        return (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
             / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
    }

    /// <summary>The lower tail; the upper one follows by symmetry.</summary>
    private static double Tail(double probability)
    {
        double q = Math.Sqrt(-2 * Math.Log(probability));
        return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
             / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    }
}

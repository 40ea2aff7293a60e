namespace VaeSharp.Imputation;

/// <summary>
/// The half-widths of 90% intervals from held-out absolute errors, by normalized split conformal over all numeric
/// cells together: each error is divided by its column's mean absolute error, the ⌈0.9·(N + 1)⌉-th smallest of all N
/// such scores is q, and column k's half-width is q × its mean absolute error.
/// </summary>
/// <remarks>
/// One quantile over every held-out cell, rather than one per column: a column has few held-out cells on a small table
/// (the finite-sample rule then asks for 24 of 25 inside, not 90%), and a whole-number column's errors are tied (a
/// digit pixel imputed exactly right), so per-column quantiles over-cover; pooled, both average out. A column imputed
/// without error on its held-out cells gets width 0.
/// </remarks>
internal static class ConformalWidths
{
    private const double Coverage = 0.9;

    /// <summary>Per column, the half-width; 0 for a column without held-out errors.</summary>
    public static float[] Widths(IReadOnlyList<List<float>> errors)
    {
        var scales = errors.Select(column => column.Count > 0 ? column.Average(error => (double)error) : 0).ToArray();
        var scores = new List<double>();
        for (int k = 0; k < errors.Count; k++)
            if (scales[k] > 0) scores.AddRange(errors[k].Select(error => error / scales[k]));
        // Cells of zero-error columns are inside any width: they count in N, at score 0.
        long total = errors.Sum(column => (long)column.Count), zeros = total - scores.Count;
        if (scores.Count == 0) return new float[errors.Count];
        scores.Sort();
        long rank = Math.Min(total, (long)Math.Ceiling(Coverage * (total + 1))) - zeros;
        double quantile = rank <= 0 ? 0 : scores[(int)rank - 1];
        return [.. scales.Select(scale => (float)(quantile * scale))];
    }
}

namespace VaeSharp.Imputation;

/// <summary>
/// The convex combination of a few predictors with the least squared error on cells whose truth is known: weights
/// w ≥ 0 with Σw = 1 minimizing Σ_cells (Σ_m w_m e_m)², e_m being predictor m's error on the cell (the weights sum to
/// 1, so the combined error is the weighted sum of the errors).
/// </summary>
/// <remarks>
/// Exact by enumeration: the optimum's support S solves the equality-constrained problem on S, whose solution is
/// G_S⁻¹1 / (1ᵀG_S⁻¹1) with G the errors' Gram matrix. Every support (2^m − 1 of them, m ≤ <see cref="MaxPredictors"/>)
/// is solved, those with a negative weight are dropped, and the lowest error wins; a single predictor is always feasible.
/// </remarks>
internal static class SimplexLeastSquares
{
    /// <summary>The most predictors the enumeration takes.</summary>
    public const int MaxPredictors = 10;

    /// <summary>
    /// The weights, one per predictor; <paramref name="errors"/>[m][cell] is predictor m's error on a cell. A predictor
    /// whose weight comes out below <paramref name="minWeight"/> is dropped and the rest solved again, until every weight
    /// kept reaches it (the largest is always kept).
    /// </summary>
    public static double[] Weights(IReadOnlyList<double[]> errors, double minWeight)
    {
        var kept = Enumerable.Range(0, errors.Count).ToList();
        while (true)
        {
            var inKept = Weights([.. kept.Select(m => errors[m])]);
            var weights = new double[errors.Count];
            for (int j = 0; j < kept.Count; j++) weights[kept[j]] = inKept[j];
            if (weights.All(w => w == 0 || w >= minWeight)) return weights;
            int largest = kept[Array.IndexOf(inKept, inKept.Max())];
            kept = [.. kept.Where(m => m == largest || weights[m] >= minWeight)];
        }
    }

    /// <summary>The weights, one per predictor; <paramref name="errors"/>[m][cell] is predictor m's error on a cell.</summary>
    public static double[] Weights(IReadOnlyList<double[]> errors)
    {
        int m = errors.Count;
        ArgumentOutOfRangeException.ThrowIfZero(m);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(m, MaxPredictors);
        var gram = new double[m, m];
        for (int a = 0; a < m; a++)
            for (int b = 0; b <= a; b++)
            {
                double sum = 0;
                for (int cell = 0; cell < errors[a].Length; cell++) sum += errors[a][cell] * errors[b][cell];
                gram[a, b] = gram[b, a] = sum;
            }
        double[] best = new double[m];
        double bestLoss = double.PositiveInfinity;
        for (int support = 1; support < 1 << m; support++)
        {
            int[] members = [.. Enumerable.Range(0, m).Where(a => (support >> a & 1) != 0)];
            if (Solve(gram, members) is not double[] inSupport) continue;
            var weights = new double[m];
            for (int i = 0; i < members.Length; i++) weights[members[i]] = inSupport[i];
            double loss = 0;
            for (int a = 0; a < m; a++)
                for (int b = 0; b < m; b++) loss += weights[a] * gram[a, b] * weights[b];
            if (loss < bestLoss) (best, bestLoss) = (weights, loss);
        }
        return best;
    }

    /// <summary>G_S⁻¹1 normalized to sum 1, or null when G_S is singular or a weight is negative.</summary>
    private static double[]? Solve(double[,] gram, int[] members)
    {
        int n = members.Length;
        var system = new double[n, n + 1]; // (n, n | 1): Gaussian elimination with partial pivoting
        double scale = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) system[i, j] = gram[members[i], members[j]];
            system[i, n] = 1;
            scale = Math.Max(scale, Math.Abs(system[i, i]));
        }
        if (scale == 0) return n == 1 ? [1.0] : null;
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int row = col + 1; row < n; row++)
                if (Math.Abs(system[row, col]) > Math.Abs(system[pivot, col])) pivot = row;
            if (Math.Abs(system[pivot, col]) <= 1e-10 * scale) return null;
            for (int j = 0; j <= n; j++) (system[col, j], system[pivot, j]) = (system[pivot, j], system[col, j]);
            for (int row = 0; row < n; row++)
            {
                if (row == col) continue;
                double factor = system[row, col] / system[col, col];
                for (int j = col; j <= n; j++) system[row, j] -= factor * system[col, j];
            }
        }
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = system[i, n] / system[i, i];
        double total = x.Sum();
        if (!(total > 0)) return null;
        for (int i = 0; i < n; i++)
        {
            x[i] /= total;
            if (x[i] < 0) return null;
        }
        return x;
    }
}

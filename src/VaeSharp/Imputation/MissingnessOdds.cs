namespace VaeSharp.Imputation;

/// <summary>
/// How much likelier a row's cell in one column is to be missing than the column's average, predicted from the table's
/// (nearly) complete numeric columns: a ridge logistic regression of "missing" on them. Where cells go missing at random
/// (MAR) through such columns, the held-out check hides observed cells with these odds, so that it scores the methods
/// on cells like the ones really missing.
/// </summary>
/// <remarks>
/// Only columns at most <see cref="MaxMissingShare"/> missing are predictors, at most <see cref="MaxPredictors"/> of
/// them (the most complete first): their values are then known almost everywhere, and each column's fit is a small
/// Newton solve on at most <see cref="MaxFitRows"/> rows. A table with no such column (cells missing completely at
/// random everywhere, say) gets no odds, and the check stays uniform.
/// </remarks>
internal sealed class MissingnessOdds
{
    /// <summary>The largest share of missing cells a predictor column may have.</summary>
    public const double MaxMissingShare = 0.05;

    /// <summary>The most predictor columns.</summary>
    public const int MaxPredictors = 8;

    /// <summary>The most rows a fit reads (every k-th row of a longer table); the odds are then predicted for every row.</summary>
    public const int MaxFitRows = 4000;

    private const double Ridge = 1.0; // on the slopes, in units of the summed log-loss: a weak prior that keeps separated fits finite
    private const int NewtonSteps = 25;

    private readonly MissingData _data;
    private readonly int _p; // features: the intercept, then the predictors
    private readonly double[] _x; // (rows, p): 1, then each predictor standardized, its rare missing cells at 0 (the mean)

    private MissingnessOdds(MissingData data, IReadOnlyList<int> predictors, double[] scales)
    {
        (_data, Predictors) = (data, predictors);
        _p = predictors.Count + 1;
        var means = data.ObservedMeans();
        _x = new double[data.Rows * _p];
        for (int row = 0; row < data.Rows; row++)
        {
            _x[row * _p] = 1;
            for (int j = 0; j < predictors.Count; j++)
            {
                int i = row * data.Cols + predictors[j];
                _x[row * _p + j + 1] = data.Mask[i] != 0 ? (data.Values[i] - means[predictors[j]]) / scales[predictors[j]] : 0;
            }
        }
    }

    /// <summary>The numeric columns the odds are predicted from, the most complete first.</summary>
    public IReadOnlyList<int> Predictors { get; }

    /// <summary>
    /// The model for <paramref name="data"/>'s first <paramref name="numeric"/> columns, or null when no column is
    /// complete enough to predict from; <paramref name="scales"/> are the columns' <see cref="MissingData.ObservedScales"/>.
    /// </summary>
    public static MissingnessOdds? For(MissingData data, int numeric, double[] scales)
    {
        var missing = new int[numeric];
        var varies = new bool[numeric]; // whether two observed values differ: a constant column says nothing of the odds
        var first = new float?[numeric];
        for (int row = 0; row < data.Rows; row++)
            for (int k = 0; k < numeric; k++)
            {
                int i = row * data.Cols + k;
                if (data.Mask[i] == 0) missing[k]++;
                else if ((first[k] ??= data.Values[i]) != data.Values[i]) varies[k] = true;
            }
        int[] predictors = [.. Enumerable.Range(0, numeric)
            .Where(k => missing[k] <= MaxMissingShare * data.Rows && data.Rows - missing[k] >= 2 && varies[k])
            .OrderBy(k => missing[k]).ThenBy(k => k).Take(MaxPredictors)];
        return predictors.Length > 0 ? new MissingnessOdds(data, predictors, scales) : null;
    }

    /// <summary>
    /// Per row, the odds p/(1 − p) that column <paramref name="column"/> is missing there; null for a predictor column
    /// (nearly complete already) and for a column never missing.
    /// </summary>
    public double[]? Odds(int column)
    {
        int rows = _data.Rows, p = _p, stride = (rows + MaxFitRows - 1) / MaxFitRows;
        if (Predictors.Contains(column)) return null;
        int missing = 0, fitted = 0;
        for (int row = 0; row < rows; row += stride)
        {
            fitted++;
            if (_data.Mask[row * _data.Cols + column] == 0) missing++;
        }
        if (missing == 0 || missing == fitted) return null;
        var beta = new double[p];
        beta[0] = Math.Log((double)missing / (fitted - missing));
        var gradient = new double[p];
        var hessian = new double[p, p];
        for (int step = 0; step < NewtonSteps; step++)
        {
            Array.Clear(gradient);
            Array.Clear(hessian);
            for (int j = 1; j < p; j++)
            {
                gradient[j] = Ridge * beta[j];
                hessian[j, j] = Ridge;
            }
            for (int row = 0; row < rows; row += stride)
            {
                var features = _x.AsSpan(row * p, p);
                double chance = Sigmoid(Dot(features, beta)), weight = chance * (1 - chance);
                double target = _data.Mask[row * _data.Cols + column] == 0 ? 1 : 0;
                for (int a = 0; a < p; a++)
                {
                    gradient[a] += (chance - target) * features[a];
                    for (int b = 0; b <= a; b++) hessian[a, b] += weight * features[a] * features[b];
                }
            }
            var move = SolveSymmetric(hessian, gradient, p);
            double largest = 0;
            for (int a = 0; a < p; a++)
            {
                beta[a] -= move[a];
                largest = Math.Max(largest, Math.Abs(move[a]));
            }
            if (largest < 1e-8) break;
        }
        var odds = new double[rows];
        for (int row = 0; row < rows; row++) odds[row] = Math.Exp(Dot(_x.AsSpan(row * p, p), beta));
        return odds;
    }

    private static double Sigmoid(double value) => 1 / (1 + Math.Exp(-value));

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>Solves H m = g by Cholesky; H is symmetric positive definite, its lower triangle filled.</summary>
    private static double[] SolveSymmetric(double[,] h, double[] g, int n)
    {
        var lower = new double[n, n];
        for (int a = 0; a < n; a++)
            for (int b = 0; b <= a; b++)
            {
                double sum = h[a, b];
                for (int k = 0; k < b; k++) sum -= lower[a, k] * lower[b, k];
                lower[a, b] = a == b ? Math.Sqrt(Math.Max(sum, 1e-12)) : sum / lower[b, b];
            }
        var z = new double[n];
        for (int a = 0; a < n; a++)
        {
            double sum = g[a];
            for (int k = 0; k < a; k++) sum -= lower[a, k] * z[k];
            z[a] = sum / lower[a, a];
        }
        var m = new double[n];
        for (int a = n - 1; a >= 0; a--)
        {
            double sum = z[a];
            for (int k = a + 1; k < n; k++) sum -= lower[k, a] * m[k];
            m[a] = sum / lower[a, a];
        }
        return m;
    }
}

using VaeSharp.Kernels;

namespace VaeSharp.Imputation;

/// <summary>
/// Chained regressions as scikit-learn's IterativeImputer with its defaults: start from the column means, then for up
/// to <see cref="Rounds"/> rounds regress each column on the others with <see cref="BayesianRidge"/> (fitted on the
/// reference rows that observe the column, with the other columns as currently imputed) and replace its missing
/// entries by the prediction, columns in ascending order of missing entries. A round stops the fit early when no row
/// changed by more than <see cref="Tolerance"/> × the largest observed |value| in total, as scikit-learn's tol.
/// <see cref="Fit"/> learns every round's regressions; <see cref="Transform"/> replays them on new rows.
/// </summary>
/// <remarks>
/// Up to <see cref="MaxPredictors"/> columns every other column predicts; a wider table uses each column's most
/// correlated ones (absolute correlation on the mean-filled reference, scikit-learn's <c>n_nearest_features</c>), so
/// 784 pixels cost 784 small fits a round, not 784 of size 783. Predictions are not clipped here (scikit-learn's
/// default); the CSV command clips to the observed range when it writes.
/// </remarks>
/// <param name="rounds">Passes over the columns, at least 1 (scikit-learn's max_iter).</param>
/// <param name="maxPredictors">Columns each regression uses, at least 1.</param>
/// <param name="tolerance">The early-stopping tolerance, at least 0.</param>
/// <param name="blocks">Column ranges that encode one variable (a category's one-hot block): a column is never predicted
/// from the rest of its own block, which is missing with it and would only echo the fill.</param>
public sealed class IterativeImputer(int rounds = 10, int maxPredictors = 100, double tolerance = 1e-3, IReadOnlyList<(int Start, int Count)>? blocks = null) : IImputer
{
    private readonly IReadOnlyList<(int Start, int Count)> _blocks = blocks ?? [];

    private int[][]? _predictors;
    private List<BayesianRidge[]>? _regressions; // [round][column]
    private int[]? _columnOrder;
    private float[]? _means;

    /// <inheritdoc />
    public string Name => "iterative";

    /// <summary>Passes over the columns at most.</summary>
    public int Rounds { get; } = rounds >= 1 ? rounds : throw new ArgumentOutOfRangeException(nameof(rounds));

    /// <summary>Columns each regression uses.</summary>
    public int MaxPredictors { get; } = maxPredictors >= 1 ? maxPredictors : throw new ArgumentOutOfRangeException(nameof(maxPredictors));

    /// <summary>The early-stopping tolerance, relative to the largest observed |value|.</summary>
    public double Tolerance { get; } = tolerance >= 0 ? tolerance : throw new ArgumentOutOfRangeException(nameof(tolerance));

    /// <inheritdoc />
    public IImputer Fit(MissingData reference)
    {
        int rows = reference.Rows, cols = reference.Cols;
        var mean = new MeanImputer();
        mean.Fit(reference);
        _means = [.. mean.Means];
        var current = mean.Transform(reference); // (rows, cols): the reference as imputed so far
        var block = Enumerable.Range(0, cols).ToArray(); // per column: the first column of its block, or itself
        foreach (var (start, width) in _blocks) for (int col = start; col < start + width; col++) block[col] = start;
        int count = Math.Min(MaxPredictors, cols - 1);
        _predictors = count == cols - 1
            ? [.. Enumerable.Range(0, cols).Select(col => Enumerable.Range(0, cols).Where(other => block[other] != block[col]).ToArray())]
            : MostCorrelated(current, rows, cols, count, block);
        // scikit-learn's default order: the column with the fewest missing entries first, ties in column order.
        var missing = new int[cols];
        double largest = 0;
        for (int i = 0; i < reference.Mask.Length; i++)
        {
            if (reference.Mask[i] == 0) missing[i % cols]++;
            else largest = Math.Max(largest, Math.Abs(reference.Values[i]));
        }
        _columnOrder = [.. Enumerable.Range(0, cols).OrderBy(col => missing[col]).ThenBy(col => col)];
        _regressions = [];
        for (int round = 0; round < Rounds; round++)
        {
            var previous = (float[])current.Clone();
            var regressions = new BayesianRidge[cols];
            foreach (int col in _columnOrder)
            {
                regressions[col] = FitColumn(current, reference.Mask, rows, cols, col, _predictors[col]);
                Predict(current, reference.Mask, rows, cols, col, _predictors[col], regressions[col]);
            }
            _regressions.Add(regressions);
            if (LargestRowChange(previous, current, rows, cols) < Tolerance * largest) break;
        }
        return this;
    }

    /// <inheritdoc />
    public float[] Transform(MissingData data)
    {
        if (_regressions is null) throw new InvalidOperationException("call Fit first");
        if (data.Cols != _means!.Length) throw new ArgumentException($"fitted on {_means.Length} columns, given {data.Cols}");
        var current = (float[])data.Values.Clone();
        for (int i = 0; i < current.Length; i++) if (data.Mask[i] == 0) current[i] = _means[i % data.Cols];
        foreach (var round in _regressions)
            foreach (int col in _columnOrder!)
                Predict(current, data.Mask, data.Rows, data.Cols, col, _predictors![col], round[col]);
        return current;
    }

    /// <summary>The rounds the fit ran: <see cref="Rounds"/>, or fewer when it stopped early.</summary>
    public int RoundsRun => _regressions?.Count ?? 0;

    private BayesianRidge FitColumn(float[] current, byte[] mask, int rows, int cols, int target, int[] predictors)
    {
        int p = predictors.Length;
        var fitRows = Enumerable.Range(0, rows).Where(row => mask[row * cols + target] != 0).ToArray();
        if (fitRows.Length == 0 || p == 0) return new BayesianRidge(_means![target], new double[p]);
        var x = new double[fitRows.Length * p]; // (fitRows, p)
        var y = new double[fitRows.Length]; // (fitRows)
        for (int r = 0; r < fitRows.Length; r++)
        {
            int row = fitRows[r];
            y[r] = current[row * cols + target];
            for (int a = 0; a < p; a++) x[r * p + a] = current[row * cols + predictors[a]];
        }
        return BayesianRidge.Fit(x, y, fitRows.Length, p);
    }

    private static void Predict(float[] current, byte[] mask, int rows, int cols, int target, int[] predictors, BayesianRidge regression)
    {
        var buffer = new double[predictors.Length];
        for (int row = 0; row < rows; row++)
        {
            if (mask[row * cols + target] != 0) continue;
            for (int a = 0; a < predictors.Length; a++) buffer[a] = current[row * cols + predictors[a]];
            current[row * cols + target] = (float)regression.Predict(buffer);
        }
    }

    /// <summary>scikit-learn's stopping norm: the largest row sum of |change| (NumPy's matrix ∞-norm).</summary>
    private static double LargestRowChange(float[] previous, float[] current, int rows, int cols)
    {
        double largest = 0;
        for (int row = 0; row < rows; row++)
        {
            double sum = 0;
            for (int col = 0; col < cols; col++) sum += Math.Abs(current[row * cols + col] - previous[row * cols + col]);
            largest = Math.Max(largest, sum);
        }
        return largest;
    }

    /// <summary>For each column, the <paramref name="count"/> columns of other blocks of largest absolute correlation.</summary>
    private static int[][] MostCorrelated(float[] values, int rows, int cols, int count, int[] block)
    {
        var centred = (float[])values.Clone(); // (rows, cols)
        for (int col = 0; col < cols; col++)
        {
            double sum = 0;
            for (int row = 0; row < rows; row++) sum += centred[row * cols + col];
            float mean = (float)(sum / rows);
            for (int row = 0; row < rows; row++) centred[row * cols + col] -= mean;
        }
        var covariance = new float[cols * cols]; // (cols, cols)
        Gemm.Multiply(true, false, cols, cols, rows, 1f, centred, centred, 0f, covariance);
        var result = new int[cols][];
        for (int col = 0; col < cols; col++)
        {
            int target = col;
            result[col] = [.. Enumerable.Range(0, cols).Where(other => block[other] != block[target])
                .OrderByDescending(other => Correlation(covariance, cols, target, other)).ThenBy(other => other).Take(count)];
        }
        return result;
    }

    private static double Correlation(float[] covariance, int cols, int a, int b)
    {
        double denominator = Math.Sqrt((double)covariance[a * cols + a] * covariance[b * cols + b]);
        return denominator > 0 ? Math.Abs(covariance[a * cols + b]) / denominator : 0;
    }
}

using VaeSharp.Kernels;

namespace VaeSharp.Imputation;

/// <summary>
/// The chaining loop that <see cref="IterativeImputer"/> and <see cref="ForestImputer"/> share, as scikit-learn's
/// IterativeImputer runs it: start from the column means, then for up to <c>rounds</c> rounds regress each column on
/// the others (fitted on the rows that observe it, the other columns as currently imputed) and replace its missing
/// entries by the prediction, columns in ascending order of missing entries. A round stops the fit early when no row
/// changed by more than <c>tolerance</c> × the largest observed |value| in total (scikit-learn's tol).
/// <see cref="Fit"/> learns every round's regressions; <see cref="Transform"/> replays them on new rows, and imputes the
/// last round's predictions or, with <c>averageRounds</c>, their mean over the rounds after the first.
/// </summary>
/// <remarks>
/// Up to <c>maxPredictors</c> columns every other column predicts; a wider table uses each column's most correlated
/// ones (absolute correlation on the mean-filled reference, scikit-learn's <c>n_nearest_features</c>). A column is never
/// predicted from the rest of its own block (a category's one-hot columns), which is missing with it.
/// </remarks>
/// <param name="rounds">Passes over the columns at most.</param>
/// <param name="maxPredictors">Columns each regression uses at most.</param>
/// <param name="tolerance">The early-stopping tolerance, relative to the largest observed |value|.</param>
/// <param name="blocks">Column ranges that encode one variable.</param>
/// <param name="averageRounds">Impute each missing cell's mean prediction over the rounds after the first (the first,
/// which starts from the column means, is a burn-in), not the last round's alone.</param>
/// <param name="regress">Fits one column: (x (rows, p) row-major, y (rows), rows, p, round, column) to its regression. x and y may be
/// longer than that and are reused for the next column, so the regression must not keep them.</param>
internal sealed class ColumnChain(int rounds, int maxPredictors, double tolerance, IReadOnlyList<(int Start, int Count)> blocks, bool averageRounds,
    Func<double[], double[], int, int, int, int, IColumnRegression> regress)
{
    private int[][]? _predictors;
    private List<IColumnRegression[]>? _regressions; // [round][column]
    private int[]? _columnOrder;
    private float[]? _means;

    /// <summary>The rounds the fit ran.</summary>
    public int RoundsRun => _regressions?.Count ?? 0;

    public void Fit(MissingData reference)
    {
        int rows = reference.Rows, cols = reference.Cols;
        var mean = new MeanImputer();
        mean.Fit(reference);
        _means = [.. mean.Means];
        var current = mean.Transform(reference); // (rows, cols): the reference as imputed so far
        var block = Enumerable.Range(0, cols).ToArray(); // per column: the first column of its block, or itself
        foreach (var (start, width) in blocks) for (int col = start; col < start + width; col++) block[col] = start;
        int count = Math.Min(maxPredictors, cols - 1);
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
        // One design matrix for every column and round: a fresh one each time was rounds × columns large-object
        // arrays (480 MB for 20,000 rows × 20 columns), which the collector keeps until memory runs short.
        var x = new double[(long)rows * _predictors.Max(predictors => predictors.Length)]; // (rows, widest p): each column's at its start
        var y = new double[rows]; // (rows)
        var previous = new float[current.Length]; // (rows, cols)
        for (int round = 0; round < rounds; round++)
        {
            current.CopyTo(previous, 0);
            var regressions = new IColumnRegression[cols];
            foreach (int col in _columnOrder)
            {
                regressions[col] = FitColumn(current, reference.Mask, rows, cols, col, round, x, y);
                Predict(current, reference.Mask, rows, cols, col, _predictors[col], regressions[col]);
            }
            _regressions.Add(regressions);
            if (LargestRowChange(previous, current, rows, cols) < tolerance * largest) break;
        }
    }

    public float[] Transform(MissingData data)
    {
        if (_regressions is null) throw new InvalidOperationException("call Fit first");
        if (data.Cols != _means!.Length) throw new ArgumentException($"fitted on {_means.Length} columns, given {data.Cols}");
        var current = (float[])data.Values.Clone();
        for (int i = 0; i < current.Length; i++) if (data.Mask[i] == 0) current[i] = _means[i % data.Cols];
        // The first round is the burn-in when averaging: it starts from the column means.
        int averaged = averageRounds ? Math.Max(1, _regressions.Count - 1) : 1;
        int[] missing = averaged > 1 ? [.. Enumerable.Range(0, current.Length).Where(i => data.Mask[i] == 0)] : [];
        var sums = new double[missing.Length]; // per missing cell, its predictions summed over the averaged rounds
        for (int round = 0; round < _regressions.Count; round++)
        {
            foreach (int col in _columnOrder!)
                Predict(current, data.Mask, data.Rows, data.Cols, col, _predictors![col], _regressions[round][col]);
            if (round >= _regressions.Count - averaged)
                for (int j = 0; j < missing.Length; j++) sums[j] += current[missing[j]];
        }
        for (int j = 0; j < missing.Length; j++) current[missing[j]] = (float)(sums[j] / averaged);
        return current;
    }

    /// <summary>Fills x (fitRows, p) and y (fitRows) from the rows that observe <paramref name="target"/>, then regresses.</summary>
    private IColumnRegression FitColumn(float[] current, byte[] mask, int rows, int cols, int target, int round, double[] x, double[] y)
    {
        var predictors = _predictors![target];
        int p = predictors.Length, fitRows = 0;
        for (int row = 0; row < rows; row++)
        {
            if (mask[row * cols + target] == 0) continue;
            y[fitRows] = current[row * cols + target];
            for (int a = 0; a < p; a++) x[fitRows * p + a] = current[row * cols + predictors[a]];
            fitRows++;
        }
        if (p == 0) return new ConstantRegression(_means![target]); // a one-column table
        return regress(x, y, fitRows, p, round, target);
    }

    private static void Predict(float[] current, byte[] mask, int rows, int cols, int target, int[] predictors, IColumnRegression regression)
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

using VaeSharp.Kernels;

namespace VaeSharp.Imputation;

/// <summary>
/// Chained regressions, the idea of scikit-learn's IterativeImputer: start from the column means, then for
/// <see cref="Rounds"/> rounds regress each column on the others (ridge, fitted on the reference rows that observe
/// the column, with the other columns as currently imputed) and replace its missing entries by the prediction.
/// <see cref="Fit"/> learns every round's regressions; <see cref="Transform"/> replays them on new rows.
/// </summary>
/// <remarks>
/// As scikit-learn's <c>n_nearest_features</c>, each column uses only its <see cref="MaxPredictors"/> most correlated
/// columns (absolute correlation on the mean-filled reference), so 784 pixels cost 784 small solves a round, not
/// 784 solves of size 783. The ridge penalty is λ = <see cref="RidgeLambda"/> × the rows fitted, on centred data,
/// and predictions are clipped to the column's observed range (scikit-learn's min_value and max_value).
/// </remarks>
/// <param name="rounds">Passes over the columns, at least 1.</param>
/// <param name="maxPredictors">Columns each regression uses, at least 1.</param>
/// <param name="ridgeLambda">The ridge penalty per fitted row, at least 0.</param>
public sealed class IterativeImputer(int rounds = 10, int maxPredictors = 32, double ridgeLambda = 1e-3) : IImputer
{
    private int[][]? _predictors;
    private Regression[][]? _regressions; // [round][column]
    private int[]? _columnOrder;
    private float[]? _means, _minimum, _maximum;

    /// <inheritdoc />
    public string Name => "iterative";

    /// <summary>Passes over the columns.</summary>
    public int Rounds { get; } = rounds >= 1 ? rounds : throw new ArgumentOutOfRangeException(nameof(rounds));

    /// <summary>Columns each regression uses.</summary>
    public int MaxPredictors { get; } = maxPredictors >= 1 ? maxPredictors : throw new ArgumentOutOfRangeException(nameof(maxPredictors));

    /// <summary>The ridge penalty per fitted row.</summary>
    public double RidgeLambda { get; } = ridgeLambda >= 0 ? ridgeLambda : throw new ArgumentOutOfRangeException(nameof(ridgeLambda));

    /// <summary>One column's linear model: prediction = intercept + Σ weights·x[predictors].</summary>
    private sealed record Regression(double Intercept, double[] Weights);

    /// <inheritdoc />
    public IImputer Fit(MissingData reference)
    {
        int rows = reference.Rows, cols = reference.Cols;
        var mean = new MeanImputer();
        mean.Fit(reference);
        _means = [.. mean.Means];
        (_minimum, _maximum) = ObservedRange(reference);
        var current = mean.Transform(reference); // (rows, cols): the reference as imputed so far
        _predictors = MostCorrelated(current, rows, cols, Math.Min(MaxPredictors, cols - 1));
        // scikit-learn's default order: the column with the fewest missing entries first.
        var missing = new int[cols];
        for (int i = 0; i < reference.Mask.Length; i++) if (reference.Mask[i] == 0) missing[i % cols]++;
        _columnOrder = [.. Enumerable.Range(0, cols).OrderBy(col => missing[col]).ThenBy(col => col)];
        _regressions = new Regression[Rounds][];
        for (int round = 0; round < Rounds; round++)
        {
            _regressions[round] = new Regression[cols];
            foreach (int col in _columnOrder)
            {
                var regression = FitColumn(current, reference.Mask, rows, cols, col, _predictors[col]);
                _regressions[round][col] = regression;
                Predict(current, reference.Mask, rows, cols, col, _predictors[col], regression);
            }
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

    private Regression FitColumn(float[] current, byte[] mask, int rows, int cols, int target, int[] predictors)
    {
        int p = predictors.Length;
        var fitRows = Enumerable.Range(0, rows).Where(row => mask[row * cols + target] != 0).ToArray();
        if (fitRows.Length == 0 || p == 0) return new Regression(_means![target], new double[p]);
        var xMean = new double[p];
        double yMean = 0;
        foreach (int row in fitRows)
        {
            yMean += current[row * cols + target];
            for (int a = 0; a < p; a++) xMean[a] += current[row * cols + predictors[a]];
        }
        yMean /= fitRows.Length;
        for (int a = 0; a < p; a++) xMean[a] /= fitRows.Length;
        var gram = new double[p * p]; // (p, p): Xcᵀ·Xc + λI
        var rhs = new double[p]; // (p): Xcᵀ·yc
        var x = new double[p];
        foreach (int row in fitRows)
        {
            for (int a = 0; a < p; a++) x[a] = current[row * cols + predictors[a]] - xMean[a];
            double y = current[row * cols + target] - yMean;
            for (int a = 0; a < p; a++)
            {
                rhs[a] += x[a] * y;
                for (int b = 0; b <= a; b++) gram[a * p + b] += x[a] * x[b];
            }
        }
        // A penalty of at least 1e-9 keeps the solve defined when a predictor is constant.
        double lambda = Math.Max(RidgeLambda * fitRows.Length, 1e-9);
        for (int a = 0; a < p; a++) gram[a * p + a] += lambda;
        var weights = Cholesky.Solve(gram, rhs, p);
        double intercept = yMean;
        for (int a = 0; a < p; a++) intercept -= weights[a] * xMean[a];
        return new Regression(intercept, weights);
    }

    private void Predict(float[] current, byte[] mask, int rows, int cols, int target, int[] predictors, Regression regression)
    {
        for (int row = 0; row < rows; row++)
        {
            if (mask[row * cols + target] != 0) continue;
            double value = regression.Intercept;
            for (int a = 0; a < predictors.Length; a++) value += regression.Weights[a] * current[row * cols + predictors[a]];
            current[row * cols + target] = Math.Clamp((float)value, _minimum![target], _maximum![target]);
        }
    }

    private static (float[] Minimum, float[] Maximum) ObservedRange(MissingData data)
    {
        var minimum = Enumerable.Repeat(float.PositiveInfinity, data.Cols).ToArray();
        var maximum = Enumerable.Repeat(float.NegativeInfinity, data.Cols).ToArray();
        for (int i = 0; i < data.Values.Length; i++)
        {
            if (data.Mask[i] == 0) continue;
            int col = i % data.Cols;
            minimum[col] = Math.Min(minimum[col], data.Values[i]);
            maximum[col] = Math.Max(maximum[col], data.Values[i]);
        }
        return (minimum, maximum);
    }

    /// <summary>For each column, the <paramref name="count"/> other columns of largest absolute correlation.</summary>
    private static int[][] MostCorrelated(float[] values, int rows, int cols, int count)
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
            result[col] = [.. Enumerable.Range(0, cols).Where(other => other != target)
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

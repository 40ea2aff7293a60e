namespace VaeSharp.Imputation;

/// <summary>
/// Chained regressions as scikit-learn's IterativeImputer with its defaults: the <see cref="ColumnChain"/> loop (start
/// from the column means, then for up to <see cref="Rounds"/> rounds regress each column on the others, columns in
/// ascending order of missing entries, stopping early by <see cref="Tolerance"/>) with <see cref="BayesianRidge"/> as
/// each column's regression. <see cref="Fit"/> learns every round's regressions; <see cref="Transform"/> replays them.
/// </summary>
/// <remarks>
/// Up to <see cref="MaxPredictors"/> columns every other column predicts; a wider table uses each column's most
/// correlated ones (scikit-learn's <c>n_nearest_features</c>), so 784 pixels cost 784 small fits a round, not 784 of
/// size 783. Predictions are not clipped here (scikit-learn's default); the CSV command clips to the observed range when it writes.
/// </remarks>
/// <param name="rounds">Passes over the columns, at least 1 (scikit-learn's max_iter).</param>
/// <param name="maxPredictors">Columns each regression uses, at least 1.</param>
/// <param name="tolerance">The early-stopping tolerance, at least 0.</param>
/// <param name="blocks">Column ranges that encode one variable (a category's one-hot block): a column is never predicted
/// from the rest of its own block, which is missing with it and would only echo the fill.</param>
public sealed class IterativeImputer(int rounds = 10, int maxPredictors = 100, double tolerance = 1e-3, IReadOnlyList<(int Start, int Count)>? blocks = null) : IImputer
{
    private ColumnChain? _chain;

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
        _chain = new ColumnChain(Rounds, MaxPredictors, Tolerance, blocks ?? [], averageRounds: false, (x, y, rows, p, _, _) => BayesianRidge.Fit(x, y, rows, p));
        _chain.Fit(reference);
        return this;
    }

    /// <inheritdoc />
    public float[] Transform(MissingData data) => (_chain ?? throw new InvalidOperationException("call Fit first")).Transform(data);

    /// <summary>The rounds the fit ran: <see cref="Rounds"/>, or fewer when it stopped early.</summary>
    public int RoundsRun => _chain?.RoundsRun ?? 0;
}

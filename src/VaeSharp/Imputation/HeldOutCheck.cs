using VaeSharp.Data;
using VaeSharp.Tensors;

namespace VaeSharp.Imputation;

/// <summary>
/// Hides a fraction of a table's observed cells at random (a categorical cell hides its whole one-hot block; where
/// missingness follows the table's complete columns, with the odds <see cref="MissingnessOdds"/> predicts), so that
/// methods can be scored on cells whose truth is known: the standardized RMSE on numeric cells (each column's error
/// divided by its observed standard deviation), the accuracy on categorical cells, and per numeric column the half-width of a 90%
/// interval from the absolute errors (<see cref="ConformalWidths"/>), which sizes the intervals of <see cref="ImputationIntervals"/>.
/// </summary>
/// <remarks>
/// A check can make several independent draws of hidden cells and pool their scores: a small fraction keeps the
/// table's missingness close to what the methods really face, and the draws together give enough cells to rank them.
/// Where it follows the table's missingness, it also scores the columns as the table needs them: each held-out cell
/// weighs its column's missing cells per observed one, so a column the table never misses counts for nothing (it is
/// never imputed) and one missing half its cells counts more than one missing a tenth.
/// </remarks>
public sealed class HeldOutCheck
{
    /// <summary>
    /// Makes <paramref name="draws"/> independent draws, each hiding about <paramref name="fraction"/> of
    /// <paramref name="encoding"/>'s observed cells; in each, every column keeps at least one observed cell. With
    /// <paramref name="followMissingness"/>, cells are hidden with the odds <see cref="MissingnessOdds"/> predicts
    /// where there are complete columns to predict from, and each column's cells are weighed by its missing cells per
    /// observed one; else completely at random, every cell weighing the same.
    /// </summary>
    public HeldOutCheck(TableEncoding encoding, double fraction, Rng rng, int draws = 1, bool followMissingness = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(fraction, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(draws);
        Encoding = encoding;
        var data = encoding.Data;
        _scales = data.ObservedScales();
        var groups = Groups(encoding);
        var odds = followMissingness ? MissingnessOdds.For(data, encoding.Table.NumericColumns.Count, _scales) : null;
        var chances = groups.Select(group => odds?.Odds(group.Start) is double[] rowOdds ? HidingChances(data, group.Start, rowOdds, fraction) : null).ToArray();
        _columnWeights = ColumnWeights(data, groups, followMissingness);
        OddsFrom = chances.Any(chance => chance is not null) ? odds!.Predictors : [];
        var hidden = new List<TableEncoding>();
        for (int draw = 0; draw < draws; draw++)
        {
            var mask = (byte[])data.Mask.Clone();
            for (int g = 0; g < groups.Count; g++)
            {
                var (start, count) = groups[g];
                bool anyKept = false;
                for (int row = 0; row < data.Rows; row++)
                {
                    int i = row * data.Cols + start;
                    if (mask[i] == 0) continue;
                    if (rng.NextDouble() < (chances[g]?[row] ?? fraction)) mask.AsSpan(i, count).Clear();
                    else anyKept = true;
                }
                if (anyKept) continue;
                // Everything was hidden: give the column back its first observed cell, so that it can still be imputed.
                int first = Enumerable.Range(0, data.Rows).First(row => data.Mask[row * data.Cols + start] != 0);
                data.Mask.AsSpan(first * data.Cols + start, count).CopyTo(mask.AsSpan(first * data.Cols + start, count));
            }
            for (int i = 0; i < mask.Length; i++)
            {
                if (data.Mask[i] == 0 || mask[i] != 0) continue;
                int col = i % data.Cols;
                _cells.Add((draw, i));
                if (col < encoding.Table.NumericColumns.Count) (HiddenNumeric, _numericWeight) = (HiddenNumeric + 1, _numericWeight + _columnWeights[col]);
                else if (encoding.Blocks.Any(block => block.Start == col)) (HiddenCategorical, _categoricalWeight) = (HiddenCategorical + 1, _categoricalWeight + _columnWeights[col]);
            }
            hidden.Add(encoding.WithMask(mask));
        }
        // No held-out cell in a column the table misses (a table missing nothing, or their few observed cells all kept):
        // weigh every column alike rather than rank the methods on nothing.
        if (_numericWeight + _categoricalWeight == 0)
        {
            Array.Fill(_columnWeights, 1.0);
            (_numericWeight, _categoricalWeight) = (HiddenNumeric, HiddenCategorical);
        }
        Draws = hidden;
    }

    private readonly double[] _scales;
    private readonly List<(int Draw, int Index)> _cells = []; // every held-out entry of Data per draw, a categorical block's every level included
    private readonly double[] _columnWeights; // (Cols): the weight of a held-out cell in each encoded column, a block's levels alike
    private double _numericWeight, _categoricalWeight; // the held-out cells' summed weights

    /// <summary>The table checked.</summary>
    public TableEncoding Encoding { get; }

    /// <summary>
    /// Per draw, the same table with that draw's held-out cells hidden: impute each draw's <c>Data</c> and pass the
    /// completions, in draw order, to <see cref="Score"/>.
    /// </summary>
    public IReadOnlyList<TableEncoding> Draws { get; }

    /// <summary>The numeric columns (as <see cref="TabularTable.NumericColumns"/> counts them) that predicted the odds of hiding a cell; empty when cells were hidden completely at random.</summary>
    public IReadOnlyList<int> OddsFrom { get; }

    /// <summary>Numeric cells held out, over all draws.</summary>
    public int HiddenNumeric { get; }

    /// <summary>Categorical cells held out, over all draws.</summary>
    public int HiddenCategorical { get; }

    /// <summary>The row of each held-out entry, in the order of <see cref="Errors"/>.</summary>
    public IEnumerable<int> ErrorRows => _cells.Select(cell => cell.Index / Encoding.Data.Cols);

    /// <summary>
    /// The completions' error on every held-out entry of every draw, before rounding and clipping: in column standard
    /// deviations on numeric cells, and the indicator's error on each level of a categorical block (its Brier score,
    /// squared and summed); each times the square root of its cell's weight, so that squares sum as the scores weigh them.
    /// </summary>
    public double[] Errors(IReadOnlyList<float[]> completed)
    {
        int cols = Encoding.Data.Cols, numeric = Encoding.Table.NumericColumns.Count;
        return [.. _cells.Select(cell => Math.Sqrt(_columnWeights[cell.Index % cols]) * (completed[cell.Draw][cell.Index] - Encoding.Data.Values[cell.Index])
            / (cell.Index % cols < numeric ? _scales[cell.Index % cols] : 1))];
    }

    /// <summary>Scores completions (Rows, Cols) of the draws' data on their held-out cells, as <see cref="TableEncoding.Numbers"/> writes them.</summary>
    public MethodScore Score(string method, IReadOnlyList<float[]> completed, bool clip = true)
    {
        var data = Encoding.Data;
        int numeric = Encoding.Table.NumericColumns.Count, cols = data.Cols;
        var errors = Enumerable.Range(0, numeric).Select(_ => new List<float>()).ToArray();
        double squared = 0, right = 0;
        for (int draw = 0; draw < Draws.Count; draw++)
        {
            var hidden = Draws[draw];
            var numbers = hidden.Numbers(completed[draw], clip);
            for (int row = 0; row < data.Rows; row++)
                for (int k = 0; k < numeric; k++)
                {
                    int i = row * cols + k;
                    if (data.Mask[i] == 0 || hidden.Data.Mask[i] != 0) continue;
                    float error = numbers[row * numeric + k] - data.Values[i];
                    errors[k].Add(Math.Abs(error));
                    squared += _columnWeights[k] * (error / _scales[k] * (error / _scales[k]));
                }
            var codes = hidden.Categories(completed[draw]);
            for (int row = 0; row < data.Rows; row++)
                for (int k = 0; k < Encoding.Blocks.Count; k++)
                {
                    int i = row * cols + Encoding.Blocks[k].Start;
                    if (data.Mask[i] == 0 || hidden.Data.Mask[i] != 0) continue;
                    if (data.Values[i + codes[row * Encoding.Blocks.Count + k]] == 1f) right += _columnWeights[Encoding.Blocks[k].Start];
                }
        }
        return new MethodScore(method,
            _numericWeight > 0 ? Math.Sqrt(squared / _numericWeight) : null,
            _categoricalWeight > 0 ? right / _categoricalWeight : null,
            ConformalWidths.Widths(errors));
    }

    /// <summary>
    /// Per row, the chance that column <paramref name="column"/>'s observed cell is hidden: <paramref name="fraction"/>
    /// scaled by the row's <paramref name="odds"/> of missing that cell over their mean on the observed rows, so that
    /// about the same share is hidden, at most <see cref="MaxChance"/>.
    /// </summary>
    private static double[] HidingChances(MissingData data, int column, double[] odds, double fraction)
    {
        double mean = Enumerable.Range(0, data.Rows).Where(row => data.Mask[row * data.Cols + column] != 0).Average(row => odds[row]);
        return [.. odds.Select(value => Math.Min(MaxChance, fraction * value / mean))];
    }

    /// <summary>
    /// Per encoded column, the weight of its held-out cells: 1, or with <paramref name="byMissing"/> its group's
    /// missing cells per observed one, as the table's own imputation weighs that column. Where no held-out cell weighs
    /// anything (a table missing nothing, say), the constructor weighs every column 1, so that the check still ranks the methods.
    /// </summary>
    private static double[] ColumnWeights(MissingData data, List<(int Start, int Count)> groups, bool byMissing)
    {
        var weights = new double[data.Cols];
        Array.Fill(weights, 1.0);
        if (!byMissing) return weights;
        var missing = new int[data.Cols];
        for (int i = 0; i < data.Mask.Length; i++) if (data.Mask[i] == 0) missing[i % data.Cols]++;
        foreach (var (start, count) in groups)
            weights.AsSpan(start, count).Fill((double)missing[start] / Math.Max(1, data.Rows - missing[start]));
        return weights;
    }

    /// <summary>The largest chance a cell is hidden with, so that no row's cell is sure to be.</summary>
    private const double MaxChance = 0.95;

    /// <summary>The encoded columns' groups: each numeric column alone, each categorical block whole.</summary>
    private static List<(int Start, int Count)> Groups(TableEncoding encoding) =>
        [.. Enumerable.Range(0, encoding.Table.NumericColumns.Count).Select(k => (k, 1)), .. encoding.Blocks];
}

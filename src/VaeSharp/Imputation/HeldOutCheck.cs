using VaeSharp.Data;
using VaeSharp.Tensors;

namespace VaeSharp.Imputation;

/// <summary>
/// Hides a fraction of a table's observed cells at random (a categorical cell hides its whole one-hot block), so that
/// methods can be scored on cells whose truth is known: the standardized RMSE on numeric cells (each column's error
/// divided by its observed standard deviation), the accuracy on categorical cells, and per numeric column the half-width of a 90%
/// interval from the absolute errors (<see cref="ConformalWidths"/>), which sizes the intervals of <see cref="ImputationIntervals"/>.
/// </summary>
public sealed class HeldOutCheck
{
    /// <summary>Hides about <paramref name="fraction"/> of <paramref name="encoding"/>'s observed cells; each column keeps at least one observed cell.</summary>
    public HeldOutCheck(TableEncoding encoding, double fraction, Rng rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(fraction, 1);
        Encoding = encoding;
        var data = encoding.Data;
        var mask = (byte[])data.Mask.Clone();
        var groups = Groups(encoding);
        foreach (var (start, count) in groups)
        {
            var kept = new List<int>();
            for (int row = 0; row < data.Rows; row++)
            {
                int i = row * data.Cols + start;
                if (mask[i] == 0) continue;
                if (rng.NextDouble() < fraction) mask.AsSpan(i, count).Clear();
                else kept.Add(row);
            }
            if (kept.Count > 0) continue;
            // Everything was hidden: give the column back its first observed cell, so that it can still be imputed.
            int first = Enumerable.Range(0, data.Rows).First(row => data.Mask[row * data.Cols + start] != 0);
            data.Mask.AsSpan(first * data.Cols + start, count).CopyTo(mask.AsSpan(first * data.Cols + start, count));
        }
        Hidden = encoding.WithMask(mask);
        _scales = data.ObservedScales();
        for (int i = 0; i < mask.Length; i++)
        {
            if (data.Mask[i] == 0 || mask[i] != 0) continue;
            int col = i % data.Cols;
            if (col < encoding.Table.NumericColumns.Count) HiddenNumeric++;
            else if (encoding.Blocks.Any(block => block.Start == col)) HiddenCategorical++;
        }
    }

    private readonly double[] _scales;

    /// <summary>The table checked.</summary>
    public TableEncoding Encoding { get; }

    /// <summary>The same table with the held-out cells hidden; impute <c>Hidden.Data</c> and pass the result to <see cref="Score"/>.</summary>
    public TableEncoding Hidden { get; }

    /// <summary>Numeric cells held out.</summary>
    public int HiddenNumeric { get; }

    /// <summary>Categorical cells held out.</summary>
    public int HiddenCategorical { get; }

    /// <summary>Scores a completion (Rows, Cols) of <c>Hidden.Data</c> on the held-out cells, as <see cref="TableEncoding.Numbers"/> writes them.</summary>
    public MethodScore Score(string method, float[] completed, bool clip = true)
    {
        var data = Encoding.Data;
        int numeric = Encoding.Table.NumericColumns.Count, cols = data.Cols;
        var numbers = Hidden.Numbers(completed, clip);
        var errors = Enumerable.Range(0, numeric).Select(_ => new List<float>()).ToArray();
        double squared = 0;
        for (int row = 0; row < data.Rows; row++)
            for (int k = 0; k < numeric; k++)
            {
                int i = row * cols + k;
                if (data.Mask[i] == 0 || Hidden.Data.Mask[i] != 0) continue;
                float error = numbers[row * numeric + k] - data.Values[i];
                errors[k].Add(Math.Abs(error));
                squared += error / _scales[k] * (error / _scales[k]);
            }
        int right = 0;
        var codes = Hidden.Categories(completed);
        for (int row = 0; row < data.Rows; row++)
            for (int k = 0; k < Encoding.Blocks.Count; k++)
            {
                int i = row * cols + Encoding.Blocks[k].Start;
                if (data.Mask[i] == 0 || Hidden.Data.Mask[i] != 0) continue;
                if (data.Values[i + codes[row * Encoding.Blocks.Count + k]] == 1f) right++;
            }
        return new MethodScore(method,
            HiddenNumeric > 0 ? Math.Sqrt(squared / HiddenNumeric) : null,
            HiddenCategorical > 0 ? (double)right / HiddenCategorical : null,
            ConformalWidths.Widths(errors));
    }

    /// <summary>The encoded columns' groups: each numeric column alone, each categorical block whole.</summary>
    private static List<(int Start, int Count)> Groups(TableEncoding encoding) =>
        [.. Enumerable.Range(0, encoding.Table.NumericColumns.Count).Select(k => (k, 1)), .. encoding.Blocks];
}

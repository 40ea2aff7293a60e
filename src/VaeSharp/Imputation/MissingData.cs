using VaeSharp.Tensors;

namespace VaeSharp.Imputation;

/// <summary>
/// A table with holes: values (Rows, Cols) row-major and a mask of the same shape, 1 observed and 0 missing. The
/// values under a 0 are never read, so they may hold anything (NaN, or the truth kept for scoring).
/// </summary>
public sealed record MissingData
{
    /// <summary>Wraps the arrays without copying them.</summary>
    /// <param name="values">(rows, cols) row-major.</param>
    /// <param name="mask">(rows, cols): 1 observed, 0 missing.</param>
    /// <param name="rows">Rows (examples).</param>
    /// <param name="cols">Columns (features).</param>
    public MissingData(float[] values, byte[] mask, int rows, int cols)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1);
        if (values.LongLength != (long)rows * cols || mask.LongLength != values.LongLength)
            throw new ArgumentException($"values ({values.Length}) and mask ({mask.Length}) must both hold {rows}·{cols} entries");
        (Values, Mask, Rows, Cols) = (values, mask, rows, cols);
    }

    /// <summary>(Rows, Cols) row-major; entries under a 0 in <see cref="Mask"/> are ignored.</summary>
    public float[] Values { get; }

    /// <summary>(Rows, Cols): 1 observed, 0 missing.</summary>
    public byte[] Mask { get; }

    /// <summary>Rows (examples).</summary>
    public int Rows { get; }

    /// <summary>Columns (features).</summary>
    public int Cols { get; }

    /// <summary>Whether entry (row, col) is observed.</summary>
    public bool IsObserved(int row, int col) => Mask[row * Cols + col] != 0;

    /// <summary>The values with every missing entry set to <paramref name="fill"/>: a fresh (Rows, Cols) array.</summary>
    public float[] Filled(float fill = 0f)
    {
        var result = (float[])Values.Clone();
        for (int i = 0; i < result.Length; i++) if (Mask[i] == 0) result[i] = fill;
        return result;
    }

    /// <summary>The per-column mean of the observed values; NaN for a column with none.</summary>
    public double[] ObservedMeans()
    {
        var sums = new double[Cols];
        var counts = new int[Cols];
        for (int row = 0; row < Rows; row++)
            for (int col = 0; col < Cols; col++)
            {
                int i = row * Cols + col;
                if (Mask[i] == 0) continue;
                sums[col] += Values[i];
                counts[col]++;
            }
        for (int col = 0; col < Cols; col++) sums[col] = counts[col] > 0 ? sums[col] / counts[col] : double.NaN;
        return sums;
    }

    /// <summary>Each column's standard deviation over its observed values; 1 for a constant or empty column, so it divides safely.</summary>
    public double[] ObservedScales()
    {
        var means = ObservedMeans();
        var squares = new double[Cols];
        var counts = new int[Cols];
        for (int i = 0; i < Values.Length; i++)
        {
            if (Mask[i] == 0) continue;
            int col = i % Cols;
            squares[col] += (Values[i] - means[col]) * (Values[i] - means[col]);
            counts[col]++;
        }
        var scales = new double[Cols];
        for (int col = 0; col < Cols; col++)
            scales[col] = counts[col] > 0 && Math.Sqrt(squares[col] / counts[col]) is var scale && scale > 1e-12 ? scale : 1.0;
        return scales;
    }

    /// <summary>The rows <paramref name="rows"/> alone, copied in that order: a fresh table of rows.Count rows.</summary>
    public MissingData SelectRows(IReadOnlyList<int> rows)
    {
        var values = new float[rows.Count * Cols]; // (rows.Count, Cols)
        var mask = new byte[values.Length];
        for (int i = 0; i < rows.Count; i++)
        {
            Values.AsSpan(rows[i] * Cols, Cols).CopyTo(values.AsSpan(i * Cols, Cols));
            Mask.AsSpan(rows[i] * Cols, Cols).CopyTo(mask.AsSpan(i * Cols, Cols));
        }
        return new MissingData(values, mask, rows.Count, Cols);
    }

    /// <summary>
    /// A seeded random sample of <paramref name="count"/> of the rows (all of them when there are no more), in their
    /// original order. A column whose observed entries all miss the draw adds its first observed row, so the sample
    /// observes every column the table observes and can be fitted wherever the table can; it holds at most
    /// <paramref name="count"/> + <see cref="Cols"/> rows.
    /// </summary>
    public int[] SampleRows(int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var order = Enumerable.Range(0, Rows).ToArray();
        if (count >= Rows) return order;
        new Rng(seed).Shuffle(order.AsSpan());
        var drawn = new SortedSet<int>(order[..count]);
        var covered = new bool[Cols];
        foreach (int row in drawn)
            for (int col = 0; col < Cols; col++) covered[col] |= Mask[row * Cols + col] != 0;
        for (int col = 0; col < Cols; col++)
        {
            if (covered[col]) continue;
            for (int row = 0; row < Rows; row++)
                if (Mask[row * Cols + col] != 0)
                {
                    drawn.Add(row);
                    for (int other = 0; other < Cols; other++) covered[other] |= Mask[row * Cols + other] != 0;
                    break;
                }
        }
        return [.. drawn];
    }

    /// <summary>Copies <paramref name="imputed"/>, then puts back every observed value exactly.</summary>
    /// <param name="imputed">(Rows, Cols): a full guess for every entry.</param>
    public float[] KeepObserved(ReadOnlySpan<float> imputed)
    {
        var result = imputed.ToArray();
        RestoreObserved(result);
        return result;
    }

    /// <summary>Puts every observed value back into <paramref name="completed"/> (Rows, Cols), in place.</summary>
    public void RestoreObserved(Span<float> completed)
    {
        if (completed.Length != Values.Length) throw new ArgumentException($"{completed.Length} values for {Rows}·{Cols} entries");
        for (int i = 0; i < completed.Length; i++) if (Mask[i] != 0) completed[i] = Values[i];
    }
}

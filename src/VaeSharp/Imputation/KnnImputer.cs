using VaeSharp.Kernels;

namespace VaeSharp.Imputation;

/// <summary>
/// k-nearest-neighbour imputation as scikit-learn's KNNImputer (uniform weights): rows are compared with the
/// nan-euclidean distance, sqrt(cols / present · Σ over the coordinates observed in both (a − b)²), and a missing
/// entry becomes the mean of that column over the k nearest reference rows that observe it. A column no reachable
/// neighbour observes falls back to the reference mean, as scikit-learn does.
/// </summary>
/// <param name="k">Neighbours per entry, at least 1 (scikit-learn's default is 5).</param>
public sealed class KnnImputer(int k = 5) : IImputer
{
    private const int BlockRows = 128;
    private MissingData? _reference;
    private float[]? _means;

    /// <inheritdoc />
    public string Name => "knn";

    /// <summary>Neighbours per entry.</summary>
    public int K { get; } = k >= 1 ? k : throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1");

    /// <inheritdoc />
    public IImputer Fit(MissingData reference)
    {
        if (reference.Rows == 0) throw new ArgumentException("the reference has no rows");
        var mean = new MeanImputer();
        mean.Fit(reference);
        _means = [.. mean.Means];
        _reference = reference;
        return this;
    }

    /// <inheritdoc />
    public float[] Transform(MissingData data)
    {
        var reference = _reference ?? throw new InvalidOperationException("call Fit first");
        if (data.Cols != reference.Cols) throw new ArgumentException($"fitted on {reference.Cols} columns, given {data.Cols}");
        int cols = data.Cols, donors = reference.Rows;
        // Zero-filled values and float masks turn the masked sums of the distance into four matrix products.
        var donorValues = reference.Filled(); // (donors, cols)
        var donorMask = ToFloats(reference.Mask); // (donors, cols)
        var donorSquares = Square(donorValues); // (donors, cols)
        var result = (float[])data.Values.Clone();
        var distances = new float[BlockRows * donors]; // (block, donors): Σ m_a m_b (a − b)²
        var present = new float[BlockRows * donors]; // (block, donors): Σ m_a m_b
        var order = new int[donors];
        var keys = new float[donors];
        for (int start = 0; start < data.Rows; start += BlockRows)
        {
            int rows = Math.Min(BlockRows, data.Rows - start);
            var block = new MissingData(data.Values[(start * cols)..((start + rows) * cols)], data.Mask[(start * cols)..((start + rows) * cols)], rows, cols);
            var values = block.Filled(); // (rows, cols)
            var mask = ToFloats(block.Mask); // (rows, cols)
            var d = distances.AsSpan(0, rows * donors);
            var n = present.AsSpan(0, rows * donors);
            Gemm.Multiply(false, true, rows, donors, cols, 1f, Square(values), donorMask, 0f, d);
            Gemm.Multiply(false, true, rows, donors, cols, 1f, mask, donorSquares, 1f, d);
            Gemm.Multiply(false, true, rows, donors, cols, -2f, values, donorValues, 1f, d);
            Gemm.Multiply(false, true, rows, donors, cols, 1f, mask, donorMask, 0f, n);
            for (int r = 0; r < rows; r++)
            {
                int row = start + r;
                if (!data.Mask.AsSpan(row * cols, cols).Contains((byte)0)) continue;
                for (int j = 0; j < donors; j++)
                {
                    order[j] = j;
                    float shared = n[r * donors + j];
                    // Rounding can leave a tiny negative sum; no shared coordinate means no distance at all.
                    keys[j] = shared > 0.5f ? Math.Max(0f, d[r * donors + j]) * cols / shared : float.PositiveInfinity;
                }
                Array.Sort(keys, order);
                FillRow(result.AsSpan(row * cols, cols), data.Mask.AsSpan(row * cols, cols), keys, order, reference);
            }
        }
        return result;
    }

    private void FillRow(Span<float> row, ReadOnlySpan<byte> mask, float[] sortedDistances, int[] order, MissingData reference)
    {
        int cols = row.Length;
        for (int col = 0; col < cols; col++)
        {
            if (mask[col] != 0) continue;
            double sum = 0;
            int found = 0;
            for (int i = 0; i < order.Length && found < K && float.IsFinite(sortedDistances[i]); i++)
            {
                int donor = order[i];
                if (reference.Mask[donor * cols + col] == 0) continue;
                sum += reference.Values[donor * cols + col];
                found++;
            }
            row[col] = found > 0 ? (float)(sum / found) : _means![col];
        }
    }

    private static float[] ToFloats(byte[] mask)
    {
        var values = new float[mask.Length];
        for (int i = 0; i < mask.Length; i++) values[i] = mask[i];
        return values;
    }

    private static float[] Square(float[] values)
    {
        var squares = new float[values.Length];
        System.Numerics.Tensors.TensorPrimitives.Multiply(values, values, squares);
        return squares;
    }
}

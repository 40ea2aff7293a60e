using VaeSharp.Kernels;

namespace VaeSharp.Imputation;

/// <summary>
/// k-nearest-neighbour imputation as scikit-learn's KNNImputer (uniform weights): rows are compared with the
/// nan-euclidean distance, sqrt(cols / present · Σ over the coordinates observed in both (a − b)²), and a missing
/// entry becomes the mean of that column over the k nearest reference rows that observe it. A column no reachable
/// neighbour observes falls back to the reference mean, as scikit-learn does.
/// </summary>
/// <remarks>
/// So that it never goes quadratic, the donors are at most <see cref="MaxDonors"/> reference rows: all of a smaller
/// reference (then it is exact, as scikit-learn), else a seeded random sample of that many, plus a row for any column
/// the draw leaves unobserved (<see cref="MissingData.SampleRows"/>). A row's cost is then one pass over the donors per
/// missing entry, whatever the table's length.
/// </remarks>
/// <param name="k">Neighbours per entry, at least 1 (scikit-learn's default is 5).</param>
/// <param name="maxDonors">The most reference rows kept as donors, at least <paramref name="k"/>.</param>
/// <param name="seed">Seeds the donor sample of a larger reference.</param>
public sealed class KnnImputer(int k = 5, int maxDonors = KnnImputer.DefaultMaxDonors, ulong seed = 1) : IImputer
{
    /// <summary>The default donor cap.</summary>
    public const int DefaultMaxDonors = 5000;

    private const int BlockRows = 128;
    private MissingData? _reference;
    private float[]? _means;

    /// <inheritdoc />
    public string Name => "knn";

    /// <summary>Neighbours per entry.</summary>
    public int K { get; } = k >= 1 ? k : throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1");

    /// <summary>The reference rows drawn as donors from a larger reference (then a row more for each column the draw leaves unobserved).</summary>
    public int MaxDonors { get; } = maxDonors >= k ? maxDonors : throw new ArgumentOutOfRangeException(nameof(maxDonors), maxDonors, "keep at least k donors");

    /// <inheritdoc />
    public IImputer Fit(MissingData reference)
    {
        if (reference.Rows == 0) throw new ArgumentException("the reference has no rows");
        var mean = new MeanImputer();
        mean.Fit(reference);
        _means = [.. mean.Means];
        _reference = reference.Rows <= MaxDonors ? reference : reference.SelectRows(reference.SampleRows(MaxDonors, seed));
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
        var keys = new float[donors]; // (donors): the distances of one row
        var nearest = new int[K]; // the K nearest donors that observe one column, nearest first
        var nearestKeys = new float[K];
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
                    float shared = n[r * donors + j];
                    // Rounding can leave a tiny negative sum; no shared coordinate means no distance at all.
                    keys[j] = shared > 0.5f ? Math.Max(0f, d[r * donors + j]) * cols / shared : float.PositiveInfinity;
                }
                for (int col = 0; col < cols; col++)
                    if (data.Mask[row * cols + col] == 0) result[row * cols + col] = Fill(col, keys, reference, nearest, nearestKeys);
            }
        }
        return result;
    }

    /// <summary>The mean of <paramref name="col"/> over the K nearest donors that observe it (ties to the earlier donor), or its mean when none does.</summary>
    private float Fill(int col, float[] keys, MissingData reference, int[] nearest, float[] nearestKeys)
    {
        int cols = reference.Cols, found = 0;
        for (int donor = 0; donor < keys.Length; donor++)
        {
            float key = keys[donor];
            if (!float.IsFinite(key) || reference.Mask[donor * cols + col] == 0 || (found == K && key >= nearestKeys[K - 1])) continue;
            int at = Math.Min(found, K - 1);
            while (at > 0 && nearestKeys[at - 1] > key)
            {
                (nearest[at], nearestKeys[at]) = (nearest[at - 1], nearestKeys[at - 1]);
                at--;
            }
            (nearest[at], nearestKeys[at]) = (donor, key);
            found = Math.Min(found + 1, K);
        }
        if (found == 0) return _means![col];
        double sum = 0;
        for (int i = 0; i < found; i++) sum += reference.Values[nearest[i] * cols + col];
        return (float)(sum / found);
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

using System.Buffers;
using System.Runtime.Intrinsics;

namespace VaeSharp.Kernels;

/// <summary>
/// GEMM for a C at most <see cref="MaxColumns"/> wide with op(A) stored as rows: the heads that map a hidden layer to a
/// latent of 2 to 8, where most of an Nr-wide tile would be padding. op(B) is copied once into a (k, 8) panel; a row of
/// C is one Vector256 that takes one fused multiply-add per p in ascending p, in the two halves of k that
/// <see cref="RowGemm"/> sums past its split depth, so a row gets the same bits in a batch of any size; eight rows go side by side to keep both FMA units busy. Rows are
/// split between workers, and each element's sum is the same whatever the thread count.
/// </summary>
internal static unsafe class NarrowGemm
{
    /// <summary>The widest C this kernel takes: one Vector256.</summary>
    public const int MaxColumns = 8;

    // Below this many multiply-adds a parallel launch costs more than it saves.
    private const long ParallelThreshold = 1L << 17;

    // Rows per part: enough to amortise a claim, few enough to balance two cores; a multiple of the eight side by side.
    private const int RowsPerPart = 64;

    /// <summary>
    /// C = alpha·A·op(B) + addend for A (m, k) row-major, where the addend is C itself, or with
    /// <paramref name="overwrite"/> the row <paramref name="bias"/> (n) or zero; then max(·, 0) when <paramref name="relu"/>.
    /// Lengths are validated by the caller; n ≤ <see cref="MaxColumns"/>.
    /// </summary>
    public static void Multiply(bool transB, int m, int n, int k, float alpha, float* a, float* b, float* c,
        float* bias, bool overwrite, bool relu, int threads)
    {
        float[] panel = ArrayPool<float>.Shared.Rent(k * MaxColumns); // (k, 8): op(B) with its columns padded to 8 with zeros
        try
        {
            Array.Clear(panel, 0, k * MaxColumns);
            for (int p = 0; p < k; p++)
                for (int j = 0; j < n; j++)
                    panel[p * MaxColumns + j] = transB ? b[(long)j * k + p] : b[(long)p * n + j];
            fixed (float* pPanel = panel)
            {
                var job = new Rows(m, n, k, alpha, a, pPanel, c, bias, overwrite, relu);
                int parts = (m + RowsPerPart - 1) / RowsPerPart;
                if (threads > 1 && parts > 1 && (long)m * n * k >= ParallelThreshold)
                    ParallelParts.Run(job, parts);
                else
                    job.Run(0, m);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(panel);
        }
    }

    /// <summary>The operands of one call; part p is rows [p·RowsPerPart, (p + 1)·RowsPerPart).</summary>
    private readonly struct Rows(int m, int n, int k, float alpha, float* a, float* panel, float* c, float* bias,
        bool overwrite, bool relu) : IPartBody
    {
        public void Run(int part) => Run(part * RowsPerPart, Math.Min(m, (part + 1) * RowsPerPart));

        public void Run(int first, int end)
        {
            // With alpha ≠ 1 a block of rows is scaled first, as RowGemm rounds alpha·A(i, p) before its multiply-add:
            // the kernel then broadcasts straight from memory, a load, not a shuffle competing with the FMAs for a port.
            float[]? scaledRows = alpha == 1f ? null : ArrayPool<float>.Shared.Rent(8 * k); // (8, k), from the pool: k may be large
            float* sums = stackalloc float[8 * MaxColumns]; // (8, 8): eight rows of C, padded to eight lanes
            float* second = stackalloc float[8 * MaxColumns]; // (8, 8): the same rows' sums over the second half of p
            try
            {
                fixed (float* scaled = scaledRows)
                    for (int i = first; i < end; i += 8)
                        RowBlock(i, Math.Min(8, end - i), scaled, sums, second);
            }
            finally
            {
                if (scaledRows is not null) ArrayPool<float>.Shared.Return(scaledRows);
            }
        }

        // Rows i .. i+rows of C.
        private void RowBlock(int i, int rows, float* scaled, float* sums, float* second)
        {
            LoadAddends(i, rows, sums);
            float* aRows = a + (long)i * k; // (rows, k)
            if (alpha != 1f)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(new ReadOnlySpan<float>(aRows, rows * k), alpha,
                    new Span<float>(scaled, rows * k));
                aRows = scaled;
            }
            // Two chains past RowGemm.SplitDepth, p below k/2 onto the addend and the rest onto zero, as RowGemm sums.
            int half = k >= RowGemm.SplitDepth ? k / 2 : k;
            Accumulate(rows, 0, half, aRows, sums);
            if (half < k)
            {
                new Span<float>(second, rows * MaxColumns).Clear();
                Accumulate(rows, half, k, aRows, second);
                System.Numerics.Tensors.TensorPrimitives.Add(new ReadOnlySpan<float>(sums, rows * MaxColumns),
                    new ReadOnlySpan<float>(second, rows * MaxColumns), new Span<float>(sums, rows * MaxColumns));
            }
            StoreSums(i, rows, sums);
        }

        // sums (rows, 8) += the rows of alpha·A at aRows (row stride k) over p in [p0, p1), times the panel.
        private void Accumulate(int rows, int p0, int p1, float* aRows, float* sums)
        {
            if (rows == 8)
                EightRows(p1 - p0, k, panel + p0 * MaxColumns, aRows + p0, sums);
            else
                for (int r = 0; r < rows; r++) OneRow(p1 - p0, panel + p0 * MaxColumns, aRows + (long)r * k + p0, sums + r * MaxColumns);
        }

        // sums row r = row i + r's starting value: C, the bias or zero, padded with zeros to eight lanes.
        private void LoadAddends(int i, int rows, float* sums)
        {
            new Span<float>(sums, rows * MaxColumns).Clear();
            for (int r = 0; r < rows; r++)
            {
                float* source = !overwrite ? c + (long)(i + r) * n : bias;
                if (source != null) new ReadOnlySpan<float>(source, n).CopyTo(new Span<float>(sums + r * MaxColumns, n));
            }
        }

        // Rows i .. i+rows of C = the first n lanes of sums, through max(·, 0) with TensorPrimitives.Max's semantics when asked.
        private void StoreSums(int i, int rows, float* sums)
        {
            for (int r = 0; r < rows; r++)
                for (int j = 0; j < n; j++)
                    c[(long)(i + r) * n + j] = relu ? MathF.Max(sums[r * MaxColumns + j], 0f) : sums[r * MaxColumns + j];
        }
    }

    // sums (8, 8) += the eight rows of a (depth p's, row stride lda) times the panel, each row its own chain of
    // multiply-adds. Static, with no call inside, so the JIT keeps all eight sums in registers.
    private static void EightRows(int depth, int lda, float* panel, float* a, float* sums)
    {
        var s0 = Vector256.Load(sums); var s1 = Vector256.Load(sums + 8);
        var s2 = Vector256.Load(sums + 16); var s3 = Vector256.Load(sums + 24);
        var s4 = Vector256.Load(sums + 32); var s5 = Vector256.Load(sums + 40);
        var s6 = Vector256.Load(sums + 48); var s7 = Vector256.Load(sums + 56);
        float* a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda, a6 = a5 + lda, a7 = a6 + lda;
        for (int p = 0; p < depth; p++)
        {
            var row = Vector256.Load(panel + p * MaxColumns);
            s0 = Vector256.FusedMultiplyAdd(row, Vector256.Create(a[p]), s0);
            s1 = Vector256.FusedMultiplyAdd(row, Vector256.Create(a1[p]), s1);
            s2 = Vector256.FusedMultiplyAdd(row, Vector256.Create(a2[p]), s2);
            s3 = Vector256.FusedMultiplyAdd(row, Vector256.Create(a3[p]), s3);
            s4 = Vector256.FusedMultiplyAdd(row, Vector256.Create(a4[p]), s4);
            s5 = Vector256.FusedMultiplyAdd(row, Vector256.Create(a5[p]), s5);
            s6 = Vector256.FusedMultiplyAdd(row, Vector256.Create(a6[p]), s6);
            s7 = Vector256.FusedMultiplyAdd(row, Vector256.Create(a7[p]), s7);
        }
        s0.Store(sums); s1.Store(sums + 8); s2.Store(sums + 16); s3.Store(sums + 24);
        s4.Store(sums + 32); s5.Store(sums + 40); s6.Store(sums + 48); s7.Store(sums + 56);
    }

    // sum (8) += one row of a (depth p's) times the panel.
    private static void OneRow(int depth, float* panel, float* a, float* sum)
    {
        var s = Vector256.Load(sum);
        for (int p = 0; p < depth; p++)
            s = Vector256.FusedMultiplyAdd(Vector256.Load(panel + p * MaxColumns), Vector256.Create(a[p]), s);
        s.Store(sum);
    }
}

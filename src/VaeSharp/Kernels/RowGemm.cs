using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace VaeSharp.Kernels;

/// <summary>
/// GEMM for a C of at most <see cref="MaxRows"/> rows, as inference on one example needs: the packed kernel would
/// spend more on packing op(B), which it reads once, than on multiplying. Rows of op(B) stored contiguously are
/// accumulated straight into C (B stored (k, n)); rows stored as columns become dot products (B stored (n, k)).
/// A B stored (k, n) at least <see cref="SplitDepth"/> deep is summed as two chains, p below k/2 onto C and p from k/2
/// onto zero, added at the end: on two threads each core then reads one contiguous half of the weights, which keeps
/// it in that core's L2 from one call to the next (a column half of a 2 KB row maps to half of the L2's sets), and a
/// deep, narrow product runs two chains of multiply-adds side by side instead of one. In parallel the halves, then
/// the columns of C, are split, and each element is summed in the same order whatever the thread count. A dense layer's
/// weights packed once for the tiled kernel can be read in place of B as stored (<see cref="AccumulatePanels"/>).
/// </summary>
internal static unsafe class RowGemm
{
    /// <summary>The most rows of C this kernel takes; above it the packed kernel's reuse of op(B) pays for packing.</summary>
    public const int MaxRows = 4;

    /// <summary>The least depth k that is summed as two halves.</summary>
    public const int SplitDepth = 256;

    // Below this many multiply-adds a parallel launch costs more than it saves.
    private const long ParallelThreshold = 1L << 17;

    // Column splits fall on multiples of this, so every worker's spans start on a cache line.
    private const int ColumnUnit = 64;

    /// <summary>
    /// C += alpha·op(A)·op(B) for m ≤ <see cref="MaxRows"/>, after <see cref="ManagedGemm.Multiply"/> has applied beta
    /// to C and checked the lengths; k and alpha are nonzero.
    /// </summary>
    public static void Accumulate(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int threads) =>
        AddProduct(transA, transB, m, n, k, alpha, a, b, panels: false, c, threads);

    /// <summary>
    /// Whether a product n wide reads B packed for the tiled kernel (<see cref="ManagedGemm.PackB"/>) where it would
    /// read B as stored: with Vector512, whose 128-column blocks then stream four contiguous (k, 32) panels instead of
    /// 512 bytes of every row, which the prefetchers cannot follow across 4 KB pages. A scratch two-layer pass (784 → 512
    /// → 896, one row, two threads) went from 16.2–16.5 to 14.7–15.2 µs (bench/README.md).
    /// </summary>
    public static bool ReadsPanels(int n) => GemmMicroKernels.Wide && n >= BlockColumns;

    /// <summary>
    /// C += A·B for m ≤ <see cref="MaxRows"/>, A stored as rows and B (k, n) packed as <see cref="ManagedGemm.PackB"/>
    /// lays it out, for n that <see cref="ReadsPanels"/> (<see cref="ManagedGemm.MultiplyAffinePacked"/> checks): the
    /// same sums in the same order as <see cref="Accumulate"/> on B as stored, so the same bits. Lengths are validated
    /// by the caller.
    /// </summary>
    public static void AccumulatePanels(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> packedB, Span<float> c, int threads) =>
        AddProduct(false, false, m, n, k, 1f, a, packedB, panels: true, c, threads);

    private static void AddProduct(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, bool panels, Span<float> c, int threads)
    {
        // c: (m, n) row-major
        int halves = transB || k < SplitDepth ? 1 : 2, half = halves == 2 ? k / 2 : k;
        int units = (n + ColumnUnit - 1) / ColumnUnit;
        bool parallel = threads > 1 && (long)m * n * k >= ParallelThreshold;
        float[]? second = halves == 2 ? ArrayPool<float>.Shared.Rent(m * n) : null; // (m, n): the sums over the second half of p
        try
        {
            if (second is not null) Array.Clear(second, 0, m * n);
            fixed (float* pa = a, pb = b, pc = c, ps = second)
            {
                var first = new Columns(transA, transB, m, n, k, alpha, pa, pb, panels, pc, 0, half);
                var rest = new Columns(transA, transB, m, n, k, alpha, pa, pb, panels, ps, half, k);
                int workers = Math.Max(1, Math.Min(threads / halves, units));
                if (parallel)
                {
                    ParallelParts.Run(new Split(first, rest, halves, units, workers, n), halves * workers);
                }
                else
                {
                    first.Run(0, n);
                    if (halves == 2) rest.Run(0, n);
                }
            }
            if (second is not null) TensorPrimitives.Add(c[..(m * n)], second.AsSpan(0, m * n), c[..(m * n)]);
        }
        finally
        {
            if (second is not null) ArrayPool<float>.Shared.Return(second);
        }
    }

    /// <summary>
    /// Part w's share: half w / workers (of <paramref name="halves"/>, 1 or 2) and a contiguous run of whole column
    /// units within it.
    /// </summary>
    private readonly struct Split(Columns first, Columns rest, int halves, int units, int workers, int n) : IPartBody
    {
        public void Run(int part)
        {
            int w = part % workers;
            int start = (int)((long)units * w / workers) * ColumnUnit;
            int end = Math.Min(n, (int)((long)units * (w + 1) / workers) * ColumnUnit);
            (halves == 2 && part >= workers ? rest : first).Run(start, end);
        }
    }

    // Columns whose sums Block128 keeps in registers: eight Vector512s.
    private const int BlockColumns = 128;

    // Columns of a packed B panel (ManagedGemm.PackB's Nr with Vector512), the only width Block128 reads panels of.
    private const int PanelColumns = 32;

    // c (128) += Σ_p s[p]·b[p, 0 .. 128) for b's four runs of 32 columns at b0 + q·groupStep (q < 4), each with row
    // stride ldb: 32 and ldb = n for B as stored, k·32 and 32 for packed panels. One multiply-add per p in ascending p.
    private static void Block128(int k, float* s, float* b0, long groupStep, long ldb, float* c)
    {
        var c0 = Vector512.Load(c); var c1 = Vector512.Load(c + 16); var c2 = Vector512.Load(c + 32); var c3 = Vector512.Load(c + 48);
        var c4 = Vector512.Load(c + 64); var c5 = Vector512.Load(c + 80); var c6 = Vector512.Load(c + 96); var c7 = Vector512.Load(c + 112);
        float* b1 = b0 + groupStep, b2 = b1 + groupStep, b3 = b2 + groupStep;
        for (int p = 0; p < k; p++, b0 += ldb, b1 += ldb, b2 += ldb, b3 += ldb)
        {
            var x = Vector512.Create(s[p]);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Load(b0), x, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Load(b0 + 16), x, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Load(b1), x, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Load(b1 + 16), x, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Load(b2), x, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Load(b2 + 16), x, c5);
            c6 = Vector512.FusedMultiplyAdd(Vector512.Load(b3), x, c6);
            c7 = Vector512.FusedMultiplyAdd(Vector512.Load(b3 + 16), x, c7);
        }
        c0.Store(c); c1.Store(c + 16); c2.Store(c + 32); c3.Store(c + 48);
        c4.Store(c + 64); c5.Store(c + 80); c6.Store(c + 96); c7.Store(c + 112);
    }

    /// <summary>
    /// The operands of one call, pinned by the caller for the job's lifetime: the sums over p in [p0, p1) go into
    /// <paramref name="c"/>, which is C or the second half's scratch. Dot products (transB) take all of k. With
    /// <paramref name="panels"/>, b holds B (k, n) as (⌈n / 32⌉, k, 32) packed panels, else as stored.
    /// </summary>
    private readonly struct Columns(bool transA, bool transB, int m, int n, int k, float alpha, float* a, float* b, bool panels,
        float* c, int p0, int p1)
    {
        /// <summary>Where B(p, j) lies, for a B stored (k, n) or packed; the next row's element is <see cref="RowStride"/> on.</summary>
        private float* At(int p, int j) =>
            panels ? b + (long)(j / PanelColumns) * k * PanelColumns + (long)p * PanelColumns + j % PanelColumns : b + (long)p * n + j;

        private long RowStride => panels ? PanelColumns : n;

        /// <summary>How far B(p, j + 32) lies from B(p, j): the next panel, or the next 32 floats of the row.</summary>
        private long GroupStep => panels ? (long)k * PanelColumns : PanelColumns;

        /// <summary>Adds alpha·Σ_{p0 ≤ p &lt; p1} op(A)(:, p)·op(B)(p, :) into c[:, j0 .. j1).</summary>
        public void Run(int j0, int j1)
        {
            int width = j1 - j0;
            float[]? gathered = transA && transB ? ArrayPool<float>.Shared.Rent(k) : null; // (k): a strided row of A
            try
            {
                for (int i = 0; i < m; i++)
                {
                    var cRow = new Span<float>(c + (long)i * n + j0, width); // (width)
                    if (transB)
                    {
                        // b: (n, k); C(i, j) = Σ_p A(i, p)·b[j, p], one dot product per element.
                        var aRow = ARow(i, gathered);
                        for (int j = 0; j < width; j++)
                            cRow[j] += alpha * TensorPrimitives.Dot(aRow, new ReadOnlySpan<float>(b + (long)(j0 + j) * k, k));
                    }
                    else
                    {
                        AccumulateRows(i, j0, width);
                    }
                }
            }
            finally
            {
                if (gathered is not null) ArrayPool<float>.Shared.Return(gathered);
            }
        }

        /// <summary>
        /// b: (k, n); c(i, j0 .. j0+width) += Σ_{p0 ≤ p &lt; p1} alpha·A(i, p)·b[p, j0 .. j0+width). Every element takes one fused
        /// multiply-add per p in ascending p, in a vector or a scalar lane alike, so the result does not depend on where
        /// a worker's columns start. With Vector512, runs of 128 columns keep their sums in eight registers over all of
        /// k, so b is only read, never C, and the read runs at the rate a core's L2 delivers the weights it holds.
        /// </summary>
        private void AccumulateRows(int i, int j0, int width)
        {
            float* cRow = c + (long)i * n + j0; // (width)
            int blocked = Vector512.IsHardwareAccelerated ? width / BlockColumns * BlockColumns : 0;
            if (blocked > 0)
            {
                int depth = p1 - p0;
                float[]? rented = depth > 1024 ? ArrayPool<float>.Shared.Rent(depth) : null;
                float* scaledRow = stackalloc float[rented is null ? depth : 0]; // (depth): alpha·A(i, p), rounded as below
                fixed (float* pRented = rented)
                {
                    float* s = rented is null ? scaledRow : pRented;
                    for (int p = 0; p < depth; p++) s[p] = alpha * A(i, p0 + p);
                    // A packed block's four runs of 32 columns are whole panels: worker splits fall on multiples of 64.
                    for (int j = 0; j < blocked; j += BlockColumns)
                        Block128(depth, s, At(p0, j0 + j), GroupStep, RowStride, cRow + j);
                }
                if (rented is not null) ArrayPool<float>.Shared.Return(rented);
            }
            StreamRows(i, j0 + blocked, width - blocked);
        }

        /// <summary>c(i, j0 .. j0+width) += Σ_{p0 ≤ p &lt; p1} alpha·A(i, p)·b[p, j0 .. j0+width), one packed panel's
        /// columns at a time.</summary>
        private void StreamRows(int i, int j0, int width)
        {
            for (int j = j0, end = j0 + width; j < end;)
            {
                int next = panels ? Math.Min(end, (j / PanelColumns + 1) * PanelColumns) : end;
                StreamRows(i, j, next - j, At(p0, j), RowStride);
                j = next;
            }
        }

        /// <summary>c(i, j0 .. j0+width) += Σ_{p0 ≤ p &lt; p1} alpha·A(i, p)·B(p, j0 .. j0+width), where B(p0, j0) is at
        /// <paramref name="first"/> and each next row <paramref name="ldb"/> on: four rows at a time along their length,
        /// which the prefetchers follow, while the row of c stays in L1.</summary>
        private void StreamRows(int i, int j0, int width, float* first, long ldb)
        {
            float* cRow = c + (long)i * n + j0; // (width)
            int p = p0;
            for (; p + 4 <= p1; p += 4)
            {
                float s0 = alpha * A(i, p), s1 = alpha * A(i, p + 1), s2 = alpha * A(i, p + 2), s3 = alpha * A(i, p + 3);
                float* b0 = first + (p - p0) * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb; // rows p .. p+3 of B
                int j = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    var (v0, v1, v2, v3) = (Vector256.Create(s0), Vector256.Create(s1), Vector256.Create(s2), Vector256.Create(s3));
                    for (; j + 8 <= width; j += 8)
                    {
                        var sum = Vector256.FusedMultiplyAdd(Vector256.Load(b0 + j), v0, Vector256.Load(cRow + j));
                        sum = Vector256.FusedMultiplyAdd(Vector256.Load(b1 + j), v1, sum);
                        sum = Vector256.FusedMultiplyAdd(Vector256.Load(b2 + j), v2, sum);
                        Vector256.FusedMultiplyAdd(Vector256.Load(b3 + j), v3, sum).Store(cRow + j);
                    }
                }
                for (; j < width; j++)
                    cRow[j] = MathF.FusedMultiplyAdd(b3[j], s3, MathF.FusedMultiplyAdd(b2[j], s2,
                        MathF.FusedMultiplyAdd(b1[j], s1, MathF.FusedMultiplyAdd(b0[j], s0, cRow[j]))));
            }
            for (; p < p1; p++)
            {
                float s0 = alpha * A(i, p);
                float* b0 = first + (p - p0) * ldb;
                for (int j = 0; j < width; j++)
                    cRow[j] = MathF.FusedMultiplyAdd(b0[j], s0, cRow[j]);
            }
        }

        private float A(int i, int p) => transA ? a[(long)p * m + i] : a[(long)i * k + p];

        /// <summary>Row i of op(A) as a contiguous span; a transposed A (stored (k, m)) is gathered into <paramref name="gathered"/>.</summary>
        private ReadOnlySpan<float> ARow(int i, float[]? gathered)
        {
            if (gathered is null) return new ReadOnlySpan<float>(a + (long)i * k, k);
            for (int p = 0; p < k; p++) gathered[p] = a[(long)p * m + i];
            return gathered.AsSpan(0, k);
        }
    }
}

using System.Buffers;
using System.Numerics.Tensors;

namespace VaeSharp.Kernels;

/// <summary>
/// Cache-blocked SIMD GEMM in the GotoBLAS layout: op(B) is packed into Nr-wide panels over all of k, op(A) into
/// Mr-tall panels one (mc, kc) block at a time, so the A block stays in L2 while one B micro-panel (kc, Nr) stays in L1
/// under the register-tiled micro-kernel. In parallel, each worker owns one rectangle of C.
/// Every C element is summed over k in ascending kc blocks that depend on k alone, so results are bit-identical
/// whatever the thread count.
/// </summary>
internal static unsafe class ManagedGemm
{
    // kc × Nr floats of B are read per tile; 256 keeps the B micro-panel (32 KiB at Nr=32) in L1.
    private const int KcMax = 256;
    // A block (McMax, kc) is 144 KiB at kc=256: comfortably inside a core's L2; a multiple of both Mr.
    private const int McMax = 144;
    // Cap on the packed B block (k, nc), in floats, so it stays in L2/L3.
    private const int PackedBMax = 1 << 20;
    // Below this many multiply-adds a parallel launch costs more than it saves.
    private const long ParallelThreshold = 1L << 21;

    /// <summary>
    /// Same contract as <see cref="Gemm.Multiply"/> with m, n greater than zero and lengths already validated;
    /// <paramref name="threads"/> caps the degree of parallelism.
    /// </summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c, int threads)
    {
        // c: (m, n) row-major
        Span<float> cView = c[..(m * n)];
        if (beta == 0)
            cView.Clear(); // overwrite, so NaN garbage in C never leaks through 0·NaN
        else if (beta != 1)
            TensorPrimitives.Multiply(cView, beta, cView);
        if (k == 0 || alpha == 0)
            return;
        if (m <= RowGemm.MaxRows)
        {
            RowGemm.Accumulate(transA, transB, m, n, k, alpha, a, b, c, threads);
            return;
        }

        fixed (float* pa = a, pb = b, pc = c)
        {
            var job = new Job(transA, transB, m, n, k, alpha, pa, pb, pc);
            if (threads > 1 && (long)m * n * k >= ParallelThreshold)
                RunParallel(job, threads, m, n);
            else
                job.Rectangle(0, m, 0, n);
        }
    }

    /// <summary>Floats that <see cref="PackB"/> writes for a (k, n) op(B): whole Nr-wide panels.</summary>
    public static int PackedBFloats(int n, int k) => RoundUp(n, GemmMicroKernels.Nr) * k;

    /// <summary>
    /// Packs op(B) (k, n) into <paramref name="packed"/> (⌈n / Nr⌉ panels, k, Nr) once, for operands that many products
    /// share: <see cref="MultiplyPacked"/> then skips the packing that <see cref="Multiply"/> does on every call.
    /// </summary>
    public static void PackB(bool transB, int n, int k, ReadOnlySpan<float> b, Span<float> packed)
    {
        fixed (float* pb = b, pp = packed)
            new Job(false, transB, 0, n, k, 1f, null, pb, null).PackB(pp, 0, n);
    }

    /// <summary>
    /// C = A·B on the calling thread for A (m, k) row-major and B packed by <see cref="PackB"/>: the tiled kernel's
    /// sums, the same whatever m, since no row count sends it to <see cref="RowGemm"/>.
    /// </summary>
    public static void MultiplyPacked(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> packedB, Span<float> c)
    {
        c[..(m * n)].Clear();
        fixed (float* pa = a, pb = packedB, pc = c)
            new Job(false, false, m, n, k, 1f, pa, null, pc).Rectangle(0, m, 0, n, pb);
    }

    // One launch per call and no barrier: each worker packs its own operands. Splitting the longer side of C means
    // the operand every worker packs in full is the smaller one.
    private static void RunParallel(Job job, int threads, int m, int n)
    {
        bool splitColumns = n >= m;
        int unit = splitColumns ? GemmMicroKernels.Nr : GemmMicroKernels.Mr;
        int extent = splitColumns ? n : m;
        int units = (extent + unit - 1) / unit;
        int workers = Math.Min(threads, units);
        if (workers == 1)
            job.Rectangle(0, m, 0, n);
        else
            ParallelParts.Run(new Split(job, splitColumns, unit, extent, units, workers, m, n), workers);
    }

    /// <summary>Worker w's share of C: a contiguous run of whole tiles along the split side.</summary>
    private readonly struct Split(Job job, bool splitColumns, int unit, int extent, int units, int workers, int m, int n) : IPartBody
    {
        public void Run(int w)
        {
            int start = (int)((long)units * w / workers) * unit;
            int end = Math.Min(extent, (int)((long)units * (w + 1) / workers) * unit);
            if (splitColumns)
                job.Rectangle(0, m, start, end - start);
            else
                job.Rectangle(start, end - start, 0, n);
        }
    }

    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    /// <summary>The operands of one call, pinned by the caller for the job's lifetime; a struct so serial calls allocate nothing.</summary>
    private readonly struct Job(bool transA, bool transB, int m, int n, int k, float alpha, float* a, float* b, float* c)
    {
        private readonly int _mr = GemmMicroKernels.Mr;
        private readonly int _nr = GemmMicroKernels.Nr;

        /// <summary>
        /// Adds alpha·op(A)·op(B) into C[i0 .. i0+rows, j0 .. j0+cols), with op(B) packed here block by block, or read
        /// from <paramref name="prepackedB"/> (all of op(B), as <see cref="ManagedGemm.PackB"/> lays it out) when given.
        /// </summary>
        public void Rectangle(int i0, int rows, int j0, int cols, float* prepackedB = null)
        {
            int mr = _mr, nr = _nr;
            int ncMax = prepackedB != null ? RoundUp(cols, nr) : Math.Min(RoundUp(cols, nr), Math.Max(nr, PackedBMax / k / nr * nr));
            // Even kc blocks (784 → 4 × 196, not 3 × 256 + 16): a thin last block would spend more on C than on FMAs.
            int kcBlocks = (k + KcMax - 1) / KcMax;
            int kcMax = (k + kcBlocks - 1) / kcBlocks;
            float[] packedB = ArrayPool<float>.Shared.Rent(prepackedB != null ? 0 : k * ncMax); // (nc / Nr panels, k, Nr)
            float[] packedA = ArrayPool<float>.Shared.Rent(RoundUp(Math.Min(McMax, rows), mr) * kcMax); // (mc / Mr panels, kc, Mr)
            float* tile = stackalloc float[mr * nr]; // (Mr, Nr) landing zone for edge tiles
            try
            {
                fixed (float* ap = packedA, bp = packedB)
                {
                    for (int jc = j0; jc < j0 + cols; jc += ncMax)
                    {
                        int nc = Math.Min(ncMax, j0 + cols - jc);
                        float* block = prepackedB != null ? prepackedB + (long)(jc / nr) * k * nr : bp;
                        if (prepackedB == null) PackB(bp, jc, nc);
                        for (int ic = i0; ic < i0 + rows; ic += McMax)
                        {
                            int mc = Math.Min(McMax, i0 + rows - ic);
                            for (int p0 = 0; p0 < k; p0 += kcMax)
                            {
                                int kc = Math.Min(kcMax, k - p0);
                                PackA(ap, ic, mc, p0, kc);
                                Block(ap, block, ic, mc, jc, nc, p0, kc, tile);
                            }
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(packedA);
                ArrayPool<float>.Shared.Return(packedB);
            }
        }

        /// <summary>Adds one packed (mc, kc) A block times the kc rows of the packed B block into C.</summary>
        private void Block(float* ap, float* bp, int ic, int mc, int jc, int nc, int p0, int kc, float* tile)
        {
            int mr = _mr, nr = _nr;
            for (int jr = 0; jr < nc; jr += nr)
            {
                float* bPanel = bp + (long)(jr / nr) * k * nr + p0 * nr; // (kc, Nr)
                int cols = Math.Min(nr, nc - jr);
                for (int ir = 0; ir < mc; ir += mr)
                {
                    float* aPanel = ap + ir * kc; // (kc, Mr)
                    float* cTile = c + (long)(ic + ir) * n + jc + jr;
                    int tileRows = Math.Min(mr, mc - ir);
                    if (tileRows == mr && cols == nr)
                    {
                        GemmMicroKernels.Tile(kc, aPanel, bPanel, cTile, n, alpha);
                        continue;
                    }
                    new Span<float>(tile, mr * nr).Clear();
                    GemmMicroKernels.Tile(kc, aPanel, bPanel, tile, nr, alpha);
                    for (int i = 0; i < tileRows; i++)
                        for (int j = 0; j < cols; j++)
                            cTile[(long)i * n + j] += tile[i * nr + j];
                }
            }
        }

        /// <summary>Packs op(B)[:, j0 .. j0+nc) as (k, Nr) panels, zero-padding past nc.</summary>
        public void PackB(float* packedB, int j0, int nc)
        {
            int nr = _nr;
            for (int panel = 0; panel * nr < nc; panel++)
            {
                float* dst = packedB + (long)panel * k * nr; // (k, Nr)
                int col0 = j0 + panel * nr;
                int cols = Math.Min(nr, j0 + nc - col0);
                if (cols < nr)
                    new Span<float>(dst, k * nr).Clear();
                if (transB)
                {
                    // b: (n, k); op(B)(p, j) = b[j, p]. Whole groups of eight columns go through a transpose; the rest,
                    // and any tail of p, one float at a time.
                    int grouped = PanelTranspose.IsSupported ? cols / 8 * 8 : 0;
                    int packed = k;
                    for (int jj = 0; jj < grouped; jj += 8)
                        packed = PanelTranspose.PackEightColumns(b + (long)(col0 + jj) * k, k, k, dst + jj, nr);
                    for (int jj = 0; jj < cols; jj++)
                    {
                        float* src = b + (long)(col0 + jj) * k;
                        for (int p = jj < grouped ? packed : 0; p < k; p++)
                            dst[p * nr + jj] = src[p];
                    }
                }
                else
                {
                    // b: (k, n); each packed row is a contiguous run of the stored row
                    for (int p = 0; p < k; p++)
                        new ReadOnlySpan<float>(b + (long)p * n + col0, cols).CopyTo(new Span<float>(dst + p * nr, cols));
                }
            }
        }

        /// <summary>Packs op(A)[i0 .. i0+rows, p0 .. p0+kc) as (kc, Mr) panels, zero-padding the last panel.</summary>
        private void PackA(float* dst, int i0, int rows, int p0, int kc)
        {
            int mr = _mr;
            for (int ir = 0; ir < rows; ir += mr, dst += kc * mr)
            {
                int panelRows = Math.Min(mr, rows - ir);
                if (panelRows < mr)
                    new Span<float>(dst, kc * mr).Clear();
                if (transA)
                {
                    // a: (k, m); each packed row is a contiguous run of the stored row
                    for (int p = 0; p < kc; p++)
                        new ReadOnlySpan<float>(a + (long)(p0 + p) * m + i0 + ir, panelRows).CopyTo(new Span<float>(dst + p * mr, panelRows));
                }
                else
                {
                    // a: (m, k); a full panel goes eight columns at a time through a transpose, the rest one float at a time
                    float* panel = a + (long)(i0 + ir) * k + p0; // (panelRows, kc) with row stride k
                    int packed = panelRows == mr && PanelTranspose.IsSupported ? PanelTranspose.Pack(panel, k, mr, kc, dst) : 0;
                    for (int ii = 0; ii < panelRows; ii++)
                    {
                        float* src = panel + (long)ii * k;
                        for (int p = packed; p < kc; p++)
                            dst[p * mr + ii] = src[p];
                    }
                }
            }
        }
    }
}

using System.Buffers;
using System.Numerics.Tensors;

namespace VaeSharp.Kernels;

/// <summary>
/// Cache-blocked SIMD GEMM in the GotoBLAS layout: op(B) is packed once per column block into Nr-wide panels shared
/// by all threads; each thread packs Mr-tall panels of its own rows of op(A), one kc slice at a time, so the A block
/// stays in L2 while one B micro-panel (kc, Nr) stays in L1 under the register-tiled micro-kernel.
/// Every C element is owned by one thread and summed over k in ascending order, so results do not depend on timing.
/// </summary>
internal static unsafe class ManagedGemm
{
    // kc × Mr floats of A and kc × Nr of B are read per tile; 256 keeps the B micro-panel (32 KiB at Nr=32) in L1.
    private const int KcMax = 256;
    // A block (McMax, kc) is 128 KiB at kc=256: comfortably inside a core's L2.
    private const int McMax = 128;
    // Cap on the packed B block (k, nc), in floats, so it stays in the shared L3.
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

        int mr = GemmMicroKernels.Mr, nr = GemmMicroKernels.Nr;
        bool parallel = threads > 1 && (long)m * n * k >= ParallelThreshold && m > mr;
        int workers = parallel ? threads : 1;
        // Split rows into a multiple of the worker count so the last wave is not left to one thread.
        int blockCount = workers * (int)Math.Ceiling(m / (double)(workers * McMax));
        int mc = Math.Min(RoundUp((m + blockCount - 1) / blockCount, mr), RoundUp(m, mr));
        int ncMax = Math.Min(RoundUp(n, nr), Math.Max(nr, PackedBMax / k / nr * nr));

        float[] packedB = ArrayPool<float>.Shared.Rent(k * ncMax); // bp: (nc / Nr panels, k, Nr)
        try
        {
            fixed (float* pa = a, pb = b, pc = c, pbp = packedB)
            {
                var job = new Job(transA, transB, m, n, k, alpha, pa, pb, pc, pbp, mc);
                for (int j0 = 0; j0 < n; j0 += ncMax)
                {
                    int nc = Math.Min(ncMax, n - j0);
                    int panels = (nc + nr - 1) / nr;
                    int rowBlocks = (m + mc - 1) / mc;
                    if (parallel)
                        RunParallel(job, workers, j0, nc, panels, rowBlocks, mc);
                    else
                    {
                        job.PackB(j0, nc, 0, panels);
                        for (int ib = 0; ib < rowBlocks; ib++)
                            job.RowBlock(ib * mc, j0, nc);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packedB);
        }
    }

    // Kept apart so the lambdas' closure is allocated only on the parallel path.
    private static void RunParallel(Job job, int workers, int j0, int nc, int panels, int rowBlocks, int mc)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = workers };
        int chunk = (panels + workers - 1) / workers;
        Parallel.For(0, workers, options, w => job.PackB(j0, nc, w * chunk, Math.Min(panels, (w + 1) * chunk)));
        Parallel.For(0, rowBlocks, options, ib => job.RowBlock(ib * mc, j0, nc));
    }

    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    /// <summary>The operands of one call, pinned by the caller for the job's lifetime; a struct so serial calls allocate nothing.</summary>
    private readonly struct Job(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, float* b, float* c, float* packedB, int mc)
    {
        private readonly int _mr = GemmMicroKernels.Mr;
        private readonly int _nr = GemmMicroKernels.Nr;

        /// <summary>Packs B panels [first, end) of op(B)[:, j0 .. j0+nc) as (k, Nr) slabs, zero-padding past nc.</summary>
        public void PackB(int j0, int nc, int first, int end)
        {
            int nr = _nr;
            for (int panel = first; panel < end; panel++)
            {
                float* dst = packedB + (long)panel * k * nr; // (k, Nr)
                int col0 = j0 + panel * nr;
                int cols = Math.Min(nr, j0 + nc - col0);
                if (cols < nr)
                    new Span<float>(dst, k * nr).Clear();
                if (transB)
                {
                    // b: (n, k); op(B)(p, j) = b[j, p]. Reads run along stored rows; the writes stride by Nr, so go
                    // 64 values of p at a time to keep the destination lines being filled resident in L1.
                    for (int p0 = 0; p0 < k; p0 += 64)
                    {
                        int pEnd = Math.Min(k, p0 + 64);
                        for (int jj = 0; jj < cols; jj++)
                        {
                            float* src = b + (long)(col0 + jj) * k;
                            for (int p = p0; p < pEnd; p++)
                                dst[p * nr + jj] = src[p];
                        }
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

        /// <summary>Computes C[i0 .. i0+mc, j0 .. j0+nc) against the packed B block.</summary>
        public void RowBlock(int i0, int j0, int nc)
        {
            int mr = _mr, nr = _nr;
            int rows = Math.Min(mc, m - i0);
            int kcMax = Math.Min(k, KcMax);
            float[] packedA = ArrayPool<float>.Shared.Rent(RoundUp(rows, mr) * kcMax); // ap: (rows / Mr panels, kc, Mr)
            float* tile = stackalloc float[mr * nr]; // (Mr, Nr) landing zone for edge tiles
            try
            {
                fixed (float* ap = packedA)
                {
                    for (int p0 = 0; p0 < k; p0 += KcMax)
                    {
                        int kc = Math.Min(KcMax, k - p0);
                        PackA(ap, i0, rows, p0, kc);
                        for (int jr = 0; jr < nc; jr += nr)
                        {
                            float* bPanel = packedB + (long)(jr / nr) * k * nr + p0 * nr; // (kc, Nr)
                            int cols = Math.Min(nr, nc - jr);
                            for (int ir = 0; ir < rows; ir += mr)
                            {
                                float* aPanel = ap + ir * kc; // (kc, Mr)
                                float* cTile = c + (long)(i0 + ir) * n + j0 + jr;
                                int tileRows = Math.Min(mr, rows - ir);
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
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(packedA);
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
                    // a: (m, k); read each stored row contiguously
                    for (int ii = 0; ii < panelRows; ii++)
                    {
                        float* src = a + (long)(i0 + ir + ii) * k + p0;
                        for (int p = 0; p < kc; p++)
                            dst[p * mr + ii] = src[p];
                    }
                }
            }
        }
    }
}

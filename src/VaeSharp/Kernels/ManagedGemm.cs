using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace VaeSharp.Kernels;

/// <summary>
/// Cache-blocked SIMD GEMM in the GotoBLAS layout: op(B) is packed into Nr-wide panels over all of k, op(A) into
/// Mr-tall panels one (mc, kc) block at a time, so the A block stays in L2 while one B micro-panel (kc, Nr) stays in L1
/// under the register-tiled micro-kernel; for a block of C at most <see cref="DirectAPanels"/> panels wide, an A stored
/// as rows is read in place instead, as the sums are the same. In parallel, each worker owns one rectangle of C.
/// Every C element is summed over k in ascending kc blocks that depend on k alone, so results are bit-identical
/// whatever the thread count.
/// </summary>
internal static unsafe class ManagedGemm
{
    // A product up to 1024 deep is summed in one k block, so each C tile is written once, bias and ReLU included,
    // rather than read back and rewritten per block. Its B micro-panel (up to 128 KiB at Nr=32) then streams from L2
    // instead of sitting in L1: on the Zen 5, 400- to 1568-deep products ran 1–15% faster (bench/README.md).
    private const int KcMax = 1024;
    // Rows of an A block (mc, kc): at most McMax, and few enough that the block stays near ABlockFloats (256 KiB),
    // inside a core's L2 beside the B stream.
    private const int McMax = 144;
    private const int ABlockFloats = 1 << 16;
    // Cap on the packed B block (k, nc), in floats, so it stays in L2/L3.
    private const int PackedBMax = 1 << 20;
    // Below this many multiply-adds a parallel launch costs more than it saves.
    private const long ParallelThreshold = 1L << 21;
    // A stored as rows is read in place, unpacked, when a worker's block of C is at most this many B panels wide:
    // packing a panel of A then paid for few tiles (a 64-filter convolution's 2 or 4), and skipping it took conv's
    // stride-2 and Winograd layers 7–10% faster at batch 1000. Wider, as keras-mlp's 512 columns on two threads, the
    // packed panel read faster.
    private const int DirectAPanels = 4;
    // The k that ParallelThreshold counts at least, so a wide C from a short k is still split.
    private const int MinParallelDepth = 16;

    /// <summary>
    /// Same contract as <see cref="Gemm.Multiply"/> with m, n greater than zero and lengths already validated;
    /// <paramref name="threads"/> caps the degree of parallelism.
    /// </summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c, int threads)
    {
        // c: (m, n) row-major
        Span<float> cView = c[..(m * n)];
        bool tiled = k > 0 && alpha != 0 && m > RowGemm.MaxRows;
        if (beta == 0 && !tiled)
            cView.Clear(); // overwrite, so NaN garbage in C never leaks through 0·NaN
        else if (beta != 0 && beta != 1)
            TensorPrimitives.Multiply(cView, beta, cView);
        if (k == 0 || alpha == 0)
            return;
        if (!tiled)
        {
            RowGemm.Accumulate(transA, transB, m, n, k, alpha, a, b, c, threads);
            return;
        }

        // With beta = 0 the first k block's store writes C instead of adding to it: no pass to clear C first.
        fixed (float* pa = a, pb = b, pc = c)
            Dispatch(transA, transB, m, n, k, alpha, pa, pb, pc, bias: null, overwrite: beta == 0, relu: false, threads);
    }

    /// <summary>
    /// y = x·W + bias for x (m, k), W (k, n) and bias (n) added to every row, then max(y, 0) when <paramref name="relu"/>:
    /// a dense layer in one pass over y. The bias is the first k block's addend and the ReLU part of the last one's
    /// store, so y holds the same bits as filling it with the bias, adding the product with beta = 1 and applying ReLU.
    /// Lengths are validated by the caller.
    /// </summary>
    public static void MultiplyAffine(int m, int n, int k, ReadOnlySpan<float> x, ReadOnlySpan<float> w,
        ReadOnlySpan<float> bias, bool relu, Span<float> y, int threads)
    {
        // y: (m, n) row-major
        if (k == 0 || m <= RowGemm.MaxRows)
        {
            RowAffine(m, n, k, x, w, panels: false, bias, relu, y, threads);
            return;
        }
        fixed (float* px = x, pw = w, pBias = bias, py = y)
            Dispatch(false, false, m, n, k, 1f, px, pw, py, pBias, overwrite: true, relu, threads);
    }

    // A layer of at most RowGemm.MaxRows rows: y (m, n) filled with the bias, the product added on the row kernel from W
    // as stored or from its packed panels, then the ReLU.
    private static void RowAffine(int m, int n, int k, ReadOnlySpan<float> x, ReadOnlySpan<float> w, bool panels,
        ReadOnlySpan<float> bias, bool relu, Span<float> y, int threads)
    {
        var output = y[..(m * n)]; // (m, n)
        Elementwise.FillRows(output, bias[..n]);
        if (k > 0 && panels) RowGemm.AccumulatePanels(m, n, k, x, w, output, threads);
        else if (k > 0) RowGemm.Accumulate(false, false, m, n, k, 1f, x, w, output, threads);
        if (relu) TensorPrimitives.Max(output, 0f, output);
    }

    /// <summary>
    /// Whether an (m, n, k) layer gains from W packed once (<see cref="MultiplyAffinePacked"/>): on the tiled kernel,
    /// the one path that packs W on every call, and on the row kernel where it <see cref="RowGemm.ReadsPanels"/>.
    /// </summary>
    public static bool PacksWeights(int m, int n, int k) =>
        k > 0 && (m > RowGemm.MaxRows ? n > NarrowGemm.MaxColumns : RowGemm.ReadsPanels(n));

    /// <summary>
    /// <see cref="MultiplyAffine"/> with W (k, n) already packed by <see cref="PackB"/>: the same sums and bits, without
    /// packing W again on every call. Only for a layer that <see cref="PacksWeights"/>; lengths are validated by the caller.
    /// </summary>
    public static void MultiplyAffinePacked(int m, int n, int k, ReadOnlySpan<float> x, ReadOnlySpan<float> packedW,
        ReadOnlySpan<float> bias, bool relu, Span<float> y, int threads)
    {
        if (!PacksWeights(m, n, k)) throw new ArgumentException($"a ({m}, {n}, {k}) layer does not run on packed weights");
        if (packedW.Length < PackedBFloats(n, k)) throw new ArgumentException($"packed weights need {PackedBFloats(n, k)} floats; got {packedW.Length}");
        if (m <= RowGemm.MaxRows)
        {
            RowAffine(m, n, k, x, packedW, panels: true, bias, relu, y, threads);
            return;
        }
        fixed (float* px = x, pw = packedW, pBias = bias, py = y)
            Dispatch(false, false, m, n, k, 1f, px, null, py, pBias, overwrite: true, relu, threads, pw);
    }

    // A product of more than RowGemm.MaxRows rows and k > 0, with the epilogue of Job: the narrow kernel when C is at
    // most NarrowGemm.MaxColumns wide and A is stored as rows, else the tiled kernel, in parallel when big enough, on
    // op(B) as packedB holds it when given.
    private static void Dispatch(bool transA, bool transB, int m, int n, int k, float alpha, float* a, float* b, float* c,
        float* bias, bool overwrite, bool relu, int threads, float* packedB = null)
    {
        if (n <= NarrowGemm.MaxColumns && !transA)
        {
            NarrowGemm.Multiply(transB, m, n, k, alpha, a, b, c, bias, overwrite, relu, threads);
            return;
        }
        var job = new Job(transA, transB, m, n, k, alpha, a, b, c, bias, overwrite, relu, packedB);
        // A short k still pays for writing C: 1000×512 outputs from k = 2 ran 2.4 times faster on two threads.
        if (threads > 1 && (long)m * n * Math.Max(k, MinParallelDepth) >= ParallelThreshold)
            RunParallel(job, threads, m, n);
        else
            job.Rectangle(0, m, 0, n);
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
            new Job(false, transB, 0, n, k, 1f, null, pb, null, null, false, false).PackB(pp, 0, n);
    }

    /// <summary>
    /// C = A·B on the calling thread for A (m, k) row-major and B packed by <see cref="PackB"/>: the tiled kernel's
    /// sums, the same whatever m, since no row count sends it to <see cref="RowGemm"/>.
    /// </summary>
    public static void MultiplyPacked(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> packedB, Span<float> c)
    {
        fixed (float* pa = a, pb = packedB, pc = c)
            new Job(false, false, m, n, k, 1f, pa, null, pc, null, overwrite: true, relu: false, pb).Rectangle(0, m, 0, n);
    }

    // One launch per call and no barrier: each worker packs its own operands, so each core's packed op(B) sits in its
    // own L2 (packing it once, shared, measured 2 to 7% slower at 1000×784×512). Splitting the longer side of C means
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

    /// <summary>
    /// The operands of one call, pinned by the caller for the job's lifetime; a struct so serial calls allocate nothing.
    /// With <paramref name="overwrite"/> the first k block writes C (from <paramref name="bias"/> (n) when given, else
    /// from zero) rather than adding to it; with <paramref name="relu"/> the last one stores max(·, 0). With
    /// <paramref name="prepackedB"/>, all of op(B) as <see cref="ManagedGemm.PackB"/> lays it out, nothing is packed.
    /// </summary>
    private readonly struct Job(bool transA, bool transB, int m, int n, int k, float alpha, float* a, float* b, float* c,
        float* bias, bool overwrite, bool relu, float* prepackedB = null)
    {
        private readonly int _mr = GemmMicroKernels.Mr;
        private readonly int _nr = GemmMicroKernels.Nr;

        /// <summary>
        /// Adds alpha·op(A)·op(B) into C[i0 .. i0+rows, j0 .. j0+cols), with op(B) packed here block by block, or read
        /// from the job's prepacked op(B) when it has one.
        /// </summary>
        public void Rectangle(int i0, int rows, int j0, int cols)
        {
            int mr = _mr, nr = _nr;
            int ncMax = prepackedB != null ? RoundUp(cols, nr) : Math.Min(RoundUp(cols, nr), Math.Max(nr, PackedBMax / k / nr * nr));
            // Even kc blocks (1568 → 2 × 784, not 1024 + 544): a thin last block would spend more on C than on FMAs.
            int kcBlocks = (k + KcMax - 1) / KcMax;
            int kcMax = (k + kcBlocks - 1) / kcBlocks;
            int mcMax = Math.Clamp(ABlockFloats / kcMax / mr * mr, mr, McMax); // a multiple of Mr
            float[] packedB = ArrayPool<float>.Shared.Rent(prepackedB != null ? 0 : k * ncMax); // (nc / Nr panels, k, Nr)
            float[] packedA = ArrayPool<float>.Shared.Rent(RoundUp(Math.Min(mcMax, rows), mr) * kcMax); // (mc / Mr panels, kc, Mr)
            float* tile = stackalloc float[mr * nr]; // (Mr, Nr) landing zone for edge tiles
            float* zeros = stackalloc float[nr]; // (Nr): the first k block's addend when C is overwritten without a bias
            new Span<float>(zeros, nr).Clear();
            try
            {
                fixed (float* ap = packedA, bp = packedB)
                {
                    for (int jc = j0; jc < j0 + cols; jc += ncMax)
                    {
                        int nc = Math.Min(ncMax, j0 + cols - jc);
                        float* block = prepackedB != null ? prepackedB + (long)(jc / nr) * k * nr : bp;
                        if (prepackedB == null) PackB(bp, jc, nc);
                        for (int ic = i0; ic < i0 + rows; ic += mcMax)
                        {
                            int mc = Math.Min(mcMax, i0 + rows - ic);
                            // A stored as rows is read where it lies, a whole panel of Mr rows at a time; only a last,
                            // partial panel is packed (with zeros below it).
                            int direct = transA || nc > DirectAPanels * nr ? 0 : mc / mr * mr;
                            for (int p0 = 0; p0 < k; p0 += kcMax)
                            {
                                int kc = Math.Min(kcMax, k - p0);
                                if (direct < mc) PackA(ap + (long)direct * kc, ic + direct, mc - direct, p0, kc);
                                Block(ap, block, ic, mc, jc, nc, p0, kc, tile, zeros, direct);
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

        /// <summary>
        /// Adds one (mc, kc) A block times the kc rows of the packed B block into C, with the job's epilogue. Its first
        /// <paramref name="direct"/> rows are read from A as stored (row-major); the rest from the packed panels at ap.
        /// </summary>
        private void Block(float* ap, float* bp, int ic, int mc, int jc, int nc, int p0, int kc, float* tile, float* zeros, int direct)
        {
            int mr = _mr, nr = _nr;
            bool first = overwrite && p0 == 0, last = relu && p0 + kc == k;
            for (int jr = 0; jr < nc; jr += nr)
            {
                float* bPanel = bp + (long)(jr / nr) * k * nr + p0 * nr; // (kc, Nr)
                float* init = !first ? null : bias != null ? bias + jc + jr : zeros; // (Nr) or null
                int cols = Math.Min(nr, nc - jr);
                for (int ir = 0; ir < mc; ir += mr)
                {
                    // (Mr, kc) of A with row stride k, or a packed (kc, Mr) panel
                    bool inPlace = ir < direct;
                    float* aPanel = inPlace ? a + (long)(ic + ir) * k + p0 : ap + (long)ir * kc;
                    long lda = inPlace ? k : 1;
                    int step = inPlace ? 1 : mr;
                    float* cTile = c + (long)(ic + ir) * n + jc + jr;
                    int tileRows = Math.Min(mr, mc - ir);
                    if (tileRows == mr && cols == nr)
                    {
                        GemmMicroKernels.Tile(kc, aPanel, lda, step, bPanel, cTile, n, alpha, init, last);
                        continue;
                    }
                    // A panel of at most 16 columns (a 16-filter convolution's only one) takes the half-width tile.
                    bool half = GemmMicroKernels.Wide && cols <= 16;
                    if (half && tileRows == mr && cols == 16)
                    {
                        GemmMicroKernels.HalfTile(kc, aPanel, lda, step, bPanel, cTile, n, alpha, init, last);
                        continue;
                    }
                    if (half) GemmMicroKernels.HalfTile(kc, aPanel, lda, step, bPanel, tile, nr, alpha, zeros);
                    else GemmMicroKernels.Tile(kc, aPanel, lda, step, bPanel, tile, nr, alpha, zeros);
                    for (int i = 0; i < tileRows; i++)
                        AddRow(tile + i * nr, init != null ? init : cTile + (long)i * n, cTile + (long)i * n, cols, last);
                }
            }
        }

        /// <summary>
        /// An edge tile's row into C: row[j] = addend[j] + tileRow[j], then max(·, 0) when <paramref name="relu"/>, for
        /// j &lt; cols. Eight at a time where it can (a 16-filter convolution's every tile is an edge tile), the same sums.
        /// </summary>
        private static void AddRow(float* tileRow, float* addend, float* row, int cols, bool relu)
        {
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
                for (; j + 8 <= cols; j += 8)
                {
                    var sum = Vector256.Load(addend + j) + Vector256.Load(tileRow + j);
                    (relu ? Vector256.Max(sum, Vector256<float>.Zero) : sum).Store(row + j);
                }
            for (; j < cols; j++)
            {
                float sum = addend[j] + tileRow[j];
                row[j] = relu ? MathF.Max(sum, 0f) : sum;
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
                    // b: (k, n); each packed row is a contiguous run of the stored row, two vectors for a whole panel
                    float* src = b + col0;
                    if (cols == nr && Vector512.IsHardwareAccelerated)
                        for (int p = 0; p < k; p++, src += n)
                        {
                            Vector512.Load(src).Store(dst + p * nr);
                            Vector512.Load(src + 16).Store(dst + p * nr + 16);
                        }
                    else if (cols == nr)
                        for (int p = 0; p < k; p++, src += n)
                        {
                            Vector256.Load(src).Store(dst + p * nr);
                            Vector256.Load(src + 8).Store(dst + p * nr + 8);
                        }
                    else
                        for (int p = 0; p < k; p++, src += n)
                            CopyShortRun(src, dst + p * nr, cols);
                }
            }
        }

        // Copies a run of at most one panel's width (Mr or Nr floats). A memmove call per run of 8 or 16 floats was 8% of
        // impute-vaeac's step, where a convolution's dW packs its transposed columns and its 16-channel dy this way.
        private static void CopyShortRun(float* source, float* target, int count)
        {
            int i = 0;
            for (; i + 8 <= count; i += 8) Vector256.Load(source + i).Store(target + i);
            for (; i < count; i++) target[i] = source[i];
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
                        CopyShortRun(a + (long)(p0 + p) * m + i0 + ir, dst + p * mr, panelRows);
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

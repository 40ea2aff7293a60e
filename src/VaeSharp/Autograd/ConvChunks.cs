using System.Buffers;
using VaeSharp.Kernels;

namespace VaeSharp.Autograd;

/// <summary>
/// How a convolution walks its column matrix (Positions, PatchSize): in chunks of whole rows, each unfolded into a
/// scratch buffer sized to sit in one core's L2 beside the GEMM's packed blocks and fed straight to the GEMM, so no
/// layer ever holds the im2col of a whole batch (design §2). Backward unfolds each chunk again rather than keeping it.
/// The scratch a layer needs is part of its contract: <see cref="ScratchFloats"/> depends on the kernel and the
/// channels, never on the batch, and is rented per call from the shared array pool, so the layers of a model share it.
/// <para>
/// The rows are shared among the thread budget by workers, each walking its own contiguous run in chunks with every
/// product on its own thread (<see cref="Multiply"/>), so a pass makes one parallel launch where a launch per
/// product left one core waiting through every unfold, fold and handover. A pass that adds overlapping windows into
/// an image (a fold) gives each worker whole images, so no two ever add into the same pixel; with fewer images than
/// threads it runs as one worker whose products take the whole budget.
/// </para>
/// </summary>
internal readonly struct ConvChunks
{
    /// <summary>Target floats in one chunk of columns: 512 KiB, half of one core's L2 on the machines we measure.</summary>
    public const int TargetFloats = 1 << 17;

    // Chunk heights are whole GEMM tiles (Mr is 6 or 8) and split evenly across two workers.
    private const int RowMultiple = 48;

    /// <summary>Below this many multiply-adds for each worker, a launch (a few microseconds) costs more than the split saves.</summary>
    internal const long MinMultiplyAddsPerWorker = 1L << 20;

    private readonly ConvGeometry _geometry;

    /// <summary>The chunking of <paramref name="geometry"/>'s column matrix.</summary>
    public ConvChunks(ConvGeometry geometry)
    {
        _geometry = geometry;
        int rows = Math.Max(RowMultiple, TargetFloats / geometry.PatchSize / RowMultiple * RowMultiple);
        RowsPerChunk = Math.Min(rows, geometry.Positions);
    }

    /// <summary>The sizes of the convolution being chunked.</summary>
    public ConvGeometry Geometry => _geometry;

    /// <summary>Column rows per chunk; the last chunk may be shorter.</summary>
    public int RowsPerChunk { get; }

    /// <summary>Floats of one chunk buffer: the most any one scratch buffer of this layer holds.</summary>
    public int ScratchFloats => RowsPerChunk * _geometry.PatchSize;

    /// <summary>
    /// Workers for a pass whose products do <paramref name="multiplyAddsPerRow"/> per column row: one per thread of
    /// the budget while each has enough work, and no more than there are images when <paramref name="wholeImages"/>.
    /// </summary>
    public int Workers(long multiplyAddsPerRow, bool wholeImages)
    {
        long byWork = _geometry.Positions * multiplyAddsPerRow / MinMultiplyAddsPerWorker;
        int units = wholeImages ? _geometry.Batch : (_geometry.Positions + RowMultiple - 1) / RowMultiple;
        return (int)Math.Clamp(Math.Min(byWork, units), 1, Gemm.Threads);
    }

    /// <summary>
    /// The column rows [First, End) of worker <paramref name="worker"/> of <paramref name="workers"/>: contiguous
    /// runs of whole images when <paramref name="wholeImages"/>, else of whole tiles.
    /// </summary>
    public (int First, int End) WorkerRows(int worker, int workers, bool wholeImages)
    {
        int positions = _geometry.Positions;
        int unit = wholeImages ? _geometry.OutH * _geometry.OutW : RowMultiple;
        int units = (positions + unit - 1) / unit;
        return ((int)((long)units * worker / workers) * unit, Math.Min(positions, (int)((long)units * (worker + 1) / workers) * unit));
    }

    /// <summary>
    /// One product of a worker's chunk on the managed kernel: on the worker's own thread when the rows are shared,
    /// on the whole budget when one worker has them all.
    /// </summary>
    public static void Multiply(int workers, bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c) =>
        Gemm.MultiplyManaged(workers > 1 ? 1 : Gemm.Threads, transA, transB, m, n, k, 1f, a, b, beta, c);

    /// <summary>
    /// y = columns·W + bias, then max(y, 0) when <paramref name="relu"/>, for a worker's chunk on the managed kernel, on
    /// the same threads as <see cref="Multiply"/>: the bias and ReLU ride on the product's store.
    /// </summary>
    public static void MultiplyAffine(int workers, int m, int n, int k, ReadOnlySpan<float> columns, ReadOnlySpan<float> weight,
        ReadOnlySpan<float> bias, bool relu, Span<float> y) =>
        ManagedGemm.MultiplyAffine(m, n, k, columns, weight, bias, relu, y, workers > 1 ? 1 : Gemm.Threads);

    /// <summary>im2col of a worker's chunk: on its own thread when the rows are shared, else split across the budget.</summary>
    public void Unfold(int workers, ReadOnlySpan<float> image, int firstRow, int rows, Span<float> columns)
    {
        if (workers > 1)
            _geometry.UnfoldPart(image, firstRow, rows, columns);
        else
            _geometry.UnfoldRows(image, firstRow, rows, columns);
    }

    /// <summary>
    /// col2im of a worker's chunk, added into <paramref name="image"/>: on its own thread when the rows are shared, else
    /// across the budget, each thread folding the whole chunk into its own band of image rows. A batch of one image
    /// has one worker, and its fold of conv's transposed layer ran on one core while the other waited.
    /// </summary>
    public unsafe void Fold(int workers, ReadOnlySpan<float> columns, int firstRow, int rows, Span<float> image)
    {
        int bands = workers > 1 ? 1 : Math.Min(Gemm.Threads, _geometry.Height);
        if (bands == 1 || (long)rows * _geometry.PatchSize < MinParallelFoldFloats)
        {
            _geometry.FoldRows(columns, firstRow, rows, image);
            return;
        }
        fixed (float* pColumns = columns, pImage = image)
            ParallelParts.Run(new FoldBands(_geometry, pColumns, columns.Length, pImage, image.Length, firstRow, rows, bands), bands);
    }

    // Below this many column floats a parallel launch (a few microseconds) costs more than half the fold saves.
    private const long MinParallelFoldFloats = 1 << 14;

    /// <summary>Band b of a fold: every window of the chunk, added into image rows [b·height/bands, (b + 1)·height/bands) only.</summary>
    private readonly unsafe struct FoldBands(ConvGeometry geometry, float* columns, int columnsLength, float* image, int imageLength,
        int firstRow, int rows, int bands) : IPartBody
    {
        public void Run(int band) => geometry.FoldRows(new ReadOnlySpan<float>(columns, columnsLength), firstRow, rows,
            new Span<float>(image, imageLength), geometry.Height * band / bands, geometry.Height * (band + 1) / bands);
    }

    /// <summary>A scratch buffer of at least <see cref="ScratchFloats"/>, to give back with <see cref="Return"/>; contents undefined.</summary>
    public float[] Rent() => ArrayPool<float>.Shared.Rent(ScratchFloats);

    /// <summary>Gives a buffer from <see cref="Rent"/> back.</summary>
    public static void Return(float[] scratch) => ArrayPool<float>.Shared.Return(scratch);
}

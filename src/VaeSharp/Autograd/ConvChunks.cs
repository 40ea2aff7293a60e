using System.Buffers;

namespace VaeSharp.Autograd;

/// <summary>
/// How a convolution walks its column matrix (Positions, PatchSize): in chunks of whole rows, each unfolded into a
/// scratch buffer sized to sit in one core's L2 beside the GEMM's packed blocks and fed straight to the GEMM, so no
/// layer ever holds the im2col of a whole batch (design §2). Backward unfolds each chunk again rather than keeping it.
/// The scratch a layer needs is part of its contract: <see cref="ScratchFloats"/> depends on the kernel and the
/// channels, never on the batch, and is rented per call from the shared array pool, so the layers of a model share it.
/// </summary>
internal readonly struct ConvChunks
{
    /// <summary>Target floats in one chunk of columns: 512 KiB, half of one core's L2 on the machines we measure.</summary>
    public const int TargetFloats = 1 << 17;

    // Chunk heights are whole GEMM tiles (Mr is 6 or 8) and split evenly across two workers.
    private const int RowMultiple = 48;

    private readonly ConvGeometry _geometry;

    /// <summary>The chunking of <paramref name="geometry"/>'s column matrix.</summary>
    public ConvChunks(ConvGeometry geometry)
    {
        _geometry = geometry;
        int rows = Math.Max(RowMultiple, TargetFloats / geometry.PatchSize / RowMultiple * RowMultiple);
        RowsPerChunk = Math.Min(rows, geometry.Positions);
    }

    /// <summary>Column rows per chunk; the last chunk may be shorter.</summary>
    public int RowsPerChunk { get; }

    /// <summary>Floats of one chunk buffer: the most any one scratch buffer of this layer holds.</summary>
    public int ScratchFloats => RowsPerChunk * _geometry.PatchSize;

    /// <summary>A scratch buffer of at least <see cref="ScratchFloats"/>, to give back with <see cref="Return"/>; contents undefined.</summary>
    public float[] Rent() => ArrayPool<float>.Shared.Rent(ScratchFloats);

    /// <summary>Gives a buffer from <see cref="Rent"/> back.</summary>
    public static void Return(float[] scratch) => ArrayPool<float>.Shared.Return(scratch);
}

using System.Buffers;
using VaeSharp.Kernels;
using Tensor = VaeSharp.Tensors.Tensor;

namespace VaeSharp.Autograd;

/// <summary>
/// One stride-1 3×3 convolution of a (Batch, Height, Width, InC) image into (Batch, OutH, OutW, OutC) through
/// Winograd's F(2×2, 3×3) (see <see cref="Winograd"/>): the conv preset's two 64→64 layers, 64% of its multiply-adds,
/// in 16/36 of the multiplies. It serves a convolution's forward pass and its dx, which is the same kind of
/// convolution: dy filtered by the kernel turned by 180° with its channels swapped, padded by 2 − pad.
/// <para>
/// The tiles are shared among the thread budget by workers, each walking its own run in chunks whose transformed
/// input (16, tiles, InC) and products (16, tiles, OutC) sit in L2 together, with every product on the worker's own
/// thread, as <see cref="ConvChunks"/> does for im2col. Each 2×2 output tile is written by one tile alone and summed
/// the same way whatever the chunk, so the results do not depend on the split.
/// </para>
/// <para>
/// Error: the transforms only add and halve, so each output differs from the direct sum by rounding alone, bounded by
/// a small multiple of ε·Σ|x·w| over its window (measured, and pinned, in WinogradConvTests).
/// </para>
/// </summary>
internal readonly record struct WinogradConv(int Batch, int Height, int Width, int InC, int OutH, int OutW, int OutC,
    int PadTop, int PadLeft)
{
    // Below this many channels in or out, the transforms cost too much beside the products' multiply-adds.
    private const int MinChannels = 16;

    // Chunk lengths are whole GEMM tiles (Mr is 6 or 8).
    private const int TileMultiple = 24;

    /// <summary>Whether a convolution of <paramref name="geometry"/> into <paramref name="outC"/> channels goes this way.</summary>
    public static bool Fits(ConvGeometry geometry, int outC) =>
        geometry is { KernelH: 3, KernelW: 3, Stride: 1 } && Fits(geometry.Channels) && Fits(outC);

    private static bool Fits(int channels) => channels >= MinChannels && channels % Winograd.Lanes == 0;

    /// <summary>The forward pass of a convolution of <paramref name="g"/> into <paramref name="outC"/> channels.</summary>
    public static WinogradConv Forward(ConvGeometry g, int outC) =>
        new(g.Batch, g.Height, g.Width, g.Channels, g.OutH, g.OutW, outC, g.PadTop, g.PadLeft);

    /// <summary>The dx of that convolution: dy (batch, outH, outW, outC) into (batch, height, width, inC).</summary>
    public static WinogradConv InputGradient(ConvGeometry g, int outC) =>
        new(g.Batch, g.OutH, g.OutW, outC, g.Height, g.Width, g.Channels, 2 - g.PadTop, 2 - g.PadLeft);

    private int TilesH => (OutH + 1) / 2;
    private int TilesW => (OutW + 1) / 2;
    private int Tiles => Batch * TilesH * TilesW;

    /// <summary>Tiles per chunk: the transformed input and the products of one chunk fill about <see cref="ConvChunks.TargetFloats"/>.</summary>
    private int TilesPerChunk => Math.Max(TileMultiple,
        ConvChunks.TargetFloats / (Winograd.Positions * (InC + OutC)) / TileMultiple * TileMultiple);

    /// <summary>Floats of the packed kernel that <see cref="PackKernel"/> writes: one GEMM operand per position.</summary>
    public int PackedKernelFloats => Winograd.Positions * ManagedGemm.PackedBFloats(OutC, InC);

    /// <summary>
    /// Packs the 16 products' right operands once for every chunk: U[ξ] (InC, OutC) of <paramref name="transformed"/>,
    /// or when <paramref name="turned"/>, U[turned ξ] (OutC, InC) of the forward kernel this is the dx of, transposed.
    /// </summary>
    public void PackKernel(Tensor transformed, bool turned, Tensor packed)
    {
        int size = ManagedGemm.PackedBFloats(OutC, InC);
        for (int p = 0; p < Winograd.Positions; p++)
        {
            int source = turned ? 4 * Winograd.Turned[p / 4] + Winograd.Turned[p % 4] : p;
            ManagedGemm.PackB(turned, OutC, InC, transformed.Span.Slice(source * InC * OutC, InC * OutC),
                packed.Span.Slice(p * size, size));
        }
    }

    /// <summary>
    /// output = conv(image) + bias, gated by ReLU when <paramref name="relu"/>; or, with no bias, output += conv(image);
    /// with the kernel from <see cref="PackKernel"/>.
    /// </summary>
    public void Run(Tensor image, Tensor packedKernel, Tensor? bias, bool relu, Tensor output)
    {
        long multiplyAdds = (long)Tiles * Winograd.Positions * InC * OutC;
        int workers = (int)Math.Clamp(Math.Min(multiplyAdds / ConvChunks.MinMultiplyAddsPerWorker, Tiles / TileMultiple), 1, Gemm.Threads);
        ParallelParts.Run(new Part(this, workers, image, packedKernel, bias, relu, output), workers);
    }

    /// <summary>A worker's tiles, chunk by chunk: transform in, 16 products, transform out.</summary>
    private readonly struct Part(WinogradConv plan, int workers, Tensor image, Tensor kernel, Tensor? bias, bool relu,
        Tensor output) : IPartBody
    {
        public void Run(int worker)
        {
            int first = (int)((long)plan.Tiles * worker / workers), end = (int)((long)plan.Tiles * (worker + 1) / workers);
            int chunk = plan.TilesPerChunk, inC = plan.InC, outC = plan.OutC, packedSize = ManagedGemm.PackedBFloats(outC, inC);
            float[] inputScratch = ArrayPool<float>.Shared.Rent(Winograd.Positions * Winograd.Plane(chunk, inC));
            float[] productScratch = ArrayPool<float>.Shared.Rent(Winograd.Positions * Winograd.Plane(chunk, outC));
            try
            {
                for (int tile = first; tile < end; tile += chunk)
                {
                    int tiles = Math.Min(chunk, end - tile), inPlane = Winograd.Plane(tiles, inC), outPlane = Winograd.Plane(tiles, outC);
                    var v = inputScratch.AsSpan(0, Winograd.Positions * inPlane); // v: (16, tiles, inC), inPlane apart
                    var m = productScratch.AsSpan(0, Winograd.Positions * outPlane); // m: (16, tiles, outC), outPlane apart
                    Winograd.TransformInput(image.Span, plan.Height, plan.Width, inC, plan.PadTop, plan.PadLeft,
                        plan.TilesH, plan.TilesW, tile, tiles, v);
                    for (int p = 0; p < Winograd.Positions; p++)
                        ManagedGemm.MultiplyPacked(tiles, outC, inC, v.Slice(p * inPlane, tiles * inC),
                            kernel.Span.Slice(p * packedSize, packedSize), m.Slice(p * outPlane, tiles * outC));
                    Winograd.TransformOutput(m, outC, plan.OutH, plan.OutW, plan.TilesH, plan.TilesW, tile, tiles,
                        bias is null ? default : bias.Span, relu, output.Span);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(productScratch);
                ArrayPool<float>.Shared.Return(inputScratch);
            }
        }
    }
}

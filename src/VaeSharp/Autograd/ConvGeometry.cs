using VaeSharp.Kernels;
using VaeSharp.Tensors;

namespace VaeSharp.Autograd;

/// <summary>
/// The sizes of one im2col: a (Batch, Height, Width, Channels) image read through a KernelH×KernelW window at
/// OutH×OutW positions. For a convolution the image is the input; for a transposed convolution it is the output,
/// since that op is the adjoint of the convolution which maps its output back to its input.
/// </summary>
internal readonly record struct ConvGeometry(int Batch, int Height, int Width, int Channels,
    int KernelH, int KernelW, int Stride, int PadTop, int PadLeft, int OutH, int OutW)
{
    /// <summary>Rows of the column matrix: one per window position.</summary>
    public int Positions => Batch * OutH * OutW;

    /// <summary>Columns of the column matrix: one per element of a window.</summary>
    public int PatchSize => KernelH * KernelW * Channels;

    /// <summary>
    /// im2col of the column rows [<paramref name="firstRow"/>, <paramref name="firstRow"/> + <paramref name="rows"/>)
    /// into <paramref name="columns"/> (rows, PatchSize), split across the GEMM's thread budget when the chunk is
    /// large enough to pay for a launch: each part writes its own rows, so the result does not depend on the split.
    /// </summary>
    public unsafe void UnfoldRows(ReadOnlySpan<float> image, int firstRow, int rows, Span<float> columns)
    {
        int parts = Math.Min(Gemm.Threads, rows / MinRowsPerPart);
        if (parts < 2 || (long)rows * PatchSize < MinParallelFloats)
        {
            UnfoldPart(image, firstRow, rows, columns);
            return;
        }
        fixed (float* pImage = image, pColumns = columns)
            ParallelParts.Run(new UnfoldParts(this, pImage, image.Length, pColumns, firstRow, rows, parts), parts);
    }

    // Below these a parallel launch (a few microseconds) costs more than half the copy saves.
    private const int MinRowsPerPart = 16;
    private const long MinParallelFloats = 1 << 15;

    /// <summary>im2col of the rows [<paramref name="firstRow"/>, <paramref name="firstRow"/> + <paramref name="rows"/>) on the calling thread.</summary>
    public void UnfoldPart(ReadOnlySpan<float> image, int firstRow, int rows, Span<float> columns) => Im2Col.UnfoldRows(image,
        Height, Width, Channels, KernelH, KernelW, Stride, PadTop, PadLeft, OutH, OutW, firstRow, rows, columns);

    /// <summary>Part p of an unfold: its share of the rows, into its share of the columns.</summary>
    private readonly unsafe struct UnfoldParts(ConvGeometry geometry, float* image, int imageLength, float* columns,
        int firstRow, int rows, int parts) : IPartBody
    {
        public void Run(int part)
        {
            int start = (int)((long)rows * part / parts), end = (int)((long)rows * (part + 1) / parts);
            geometry.UnfoldPart(new ReadOnlySpan<float>(image, imageLength), firstRow + start, end - start,
                new Span<float>(columns + (long)start * geometry.PatchSize, (end - start) * geometry.PatchSize));
        }
    }

    /// <summary>
    /// col2im of <paramref name="columns"/> (rows, PatchSize), the column rows from <paramref name="firstRow"/> on, added
    /// into image rows [<paramref name="bandStart"/>, <paramref name="bandEnd"/>) of <paramref name="image"/>.
    /// </summary>
    public void FoldRows(ReadOnlySpan<float> columns, int firstRow, int rows, Span<float> image, int bandStart = 0,
        int bandEnd = int.MaxValue) => Im2Col.FoldRows(columns,
        Height, Width, Channels, KernelH, KernelW, Stride, PadTop, PadLeft, OutH, OutW, firstRow, rows, image, bandStart, bandEnd);

    /// <summary>Whether a convolution of this geometry into <paramref name="outChannels"/> takes dW through <see cref="NarrowWeightGradient"/>.</summary>
    public bool TakesNarrowWeightGradient(int outChannels) => NarrowWeightGradient.Fits(Stride, Channels, outChannels);

    /// <summary>
    /// dKernel += the windows of the column rows [<paramref name="firstRow"/>, <paramref name="end"/>), whole images,
    /// correlated with dy (Positions, 16), straight from the image (see <see cref="NarrowWeightGradient"/>).
    /// </summary>
    public void AccumulateNarrowWeightGradient(ReadOnlySpan<float> image, ReadOnlySpan<float> dy, Span<float> dKernel,
        int firstRow, int end) => NarrowWeightGradient.Accumulate(image, dy, dKernel, Height, Width, Channels, KernelH,
        KernelW, PadTop, PadLeft, OutH, OutW, firstRow / (OutH * OutW), (end - firstRow) / (OutH * OutW));

    /// <summary>The geometry of a convolution over <paramref name="input"/> (batch, height, width, channels).</summary>
    public static ConvGeometry ForConv(Shape input, int kernelH, int kernelW, int stride, Padding padding)
    {
        var (outH, padTop) = ConvAxis(input[1], kernelH, stride, padding);
        var (outW, padLeft) = ConvAxis(input[2], kernelW, stride, padding);
        return new(input[0], input[1], input[2], input[3], kernelH, kernelW, stride, padTop, padLeft, outH, outW);
    }

    /// <summary>
    /// The geometry of a transposed convolution of <paramref name="input"/> (batch, height, width, inC) into
    /// <paramref name="outChannels"/> channels: the image is the output, the window positions are the input pixels.
    /// </summary>
    public static ConvGeometry ForTranspose(Shape input, int outChannels, int kernelH, int kernelW, int stride,
        Padding padding, int outputPadding)
    {
        var (outH, padTop) = TransposeAxis(input[1], kernelH, stride, padding, outputPadding);
        var (outW, padLeft) = TransposeAxis(input[2], kernelW, stride, padding, outputPadding);
        return new(input[0], outH, outW, outChannels, kernelH, kernelW, stride, padTop, padLeft, input[1], input[2]);
    }

    /// <summary>A convolution's output size along one axis, and the zeros before the first input pixel.</summary>
    public static (int Size, int PadBefore) ConvAxis(int input, int kernel, int stride, Padding padding)
    {
        CheckKernelAndStride(kernel, stride);
        if (padding == Padding.Valid)
        {
            if (input < kernel) throw new ArgumentException($"valid convolution: input size {input} is smaller than kernel {kernel}");
            return ((input - kernel) / stride + 1, 0);
        }
        int output = (input + stride - 1) / stride;
        int padTotal = Math.Max((output - 1) * stride + kernel - input, 0);
        return (output, padTotal / 2); // TensorFlow's split: the odd pixel goes after, at the bottom or right
    }

    /// <summary>
    /// A transposed convolution's output size along one axis, and the pad of the convolution it is the adjoint of,
    /// worked out from the output size as TensorFlow's <c>conv2d_transpose</c> does. The output padding adds
    /// positions at the end, as PyTorch's <c>output_padding</c> does.
    /// </summary>
    public static (int Size, int PadBefore) TransposeAxis(int input, int kernel, int stride, Padding padding, int outputPadding)
    {
        CheckKernelAndStride(kernel, stride);
        if (outputPadding < 0 || outputPadding >= stride)
            throw new ArgumentOutOfRangeException(nameof(outputPadding), outputPadding, $"output padding must be in [0, stride = {stride})");
        int output = (padding == Padding.Same ? input * stride : (input - 1) * stride + kernel) + outputPadding;
        int padTotal = padding == Padding.Same ? Math.Max((input - 1) * stride + kernel - output, 0) : 0;
        return (output, padTotal / 2);
    }

    private static void CheckKernelAndStride(int kernel, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(kernel, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
    }
}

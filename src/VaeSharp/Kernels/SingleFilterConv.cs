using System.Numerics.Tensors;

namespace VaeSharp.Kernels;

/// <summary>
/// A convolution with one output channel, straight from the NHWC image: each output is the dot product of its
/// window with the (kernelH, kernelW, channels) kernel, taken run by run where the window lies. Through im2col it
/// would be a matrix-vector product whose column matrix is kernelH·kernelW times the image (a 3×3 kernel over 32
/// channels writes 288 floats per pixel to read them once) and whose one column fills a 16- or 32-wide GEMM tile.
/// The geometry parameters are those of <see cref="Im2Col.Unfold"/>; each call covers the windows [firstRow,
/// firstRow + rows), so workers can share a batch; sizes are the caller's to check.
/// </summary>
internal static class SingleFilterConv
{
    /// <summary>y[row] += window(row) · kernel for each window; y: (batch·outH·outW).</summary>
    public static unsafe void Forward(ReadOnlySpan<float> image, ReadOnlySpan<float> kernel, Span<float> y,
        int height, int width, int channels, int kernelH, int kernelW, int stride, int padTop, int padLeft, int outH, int outW,
        int firstRow, int rows)
    {
        fixed (float* pImage = image, pKernel = kernel, pY = y)
        {
            var visitor = new DotVisitor(pImage, pKernel, pY);
            ReceptiveFields.Walk(ref visitor, height, width, channels, kernelH, kernelW, stride, padTop, padLeft, outH, outW,
                firstRow, rows);
        }
    }

    /// <summary>dKernel += Σ dy[row]·window(row) over the windows; dKernel: (kernelH·kernelW·channels).</summary>
    public static unsafe void AccumulateKernelGradient(ReadOnlySpan<float> image, ReadOnlySpan<float> dy, Span<float> dKernel,
        int height, int width, int channels, int kernelH, int kernelW, int stride, int padTop, int padLeft, int outH, int outW,
        int firstRow, int rows)
    {
        fixed (float* pImage = image, pDy = dy, pKernel = dKernel)
        {
            var visitor = new ScaledAddVisitor(pImage, pDy, pKernel, intoImage: false);
            ReceptiveFields.Walk(ref visitor, height, width, channels, kernelH, kernelW, stride, padTop, padLeft, outH, outW,
                firstRow, rows);
        }
    }

    /// <summary>window(row) of dImage += dy[row]·kernel for each window; dImage: (batch, height, width, channels).</summary>
    public static unsafe void AccumulateImageGradient(ReadOnlySpan<float> kernel, ReadOnlySpan<float> dy, Span<float> dImage,
        int height, int width, int channels, int kernelH, int kernelW, int stride, int padTop, int padLeft, int outH, int outW,
        int firstRow, int rows)
    {
        fixed (float* pImage = dImage, pDy = dy, pKernel = kernel)
        {
            var visitor = new ScaledAddVisitor(pImage, pDy, pKernel, intoImage: true);
            ReceptiveFields.Walk(ref visitor, height, width, channels, kernelH, kernelW, stride, padTop, padLeft, outH, outW,
                firstRow, rows);
        }
    }

    private unsafe struct DotVisitor(float* image, float* kernel, float* y) : IFieldRunVisitor
    {
        public readonly void Visit(int row, int imageOffset, int patchOffset, int length) =>
            y[row] += TensorPrimitives.Dot(new ReadOnlySpan<float>(image + imageOffset, length),
                new ReadOnlySpan<float>(kernel + patchOffset, length));
    }

    /// <summary>Adds dy[row] times one side's run into the other's: the image's into the kernel's, or the reverse.</summary>
    private unsafe struct ScaledAddVisitor(float* image, float* dy, float* kernel, bool intoImage) : IFieldRunVisitor
    {
        public readonly void Visit(int row, int imageOffset, int patchOffset, int length)
        {
            var imageRun = new Span<float>(image + imageOffset, length);
            var kernelRun = new Span<float>(kernel + patchOffset, length);
            if (intoImage)
                TensorPrimitives.MultiplyAdd(kernelRun, dy[row], imageRun, imageRun);
            else
                TensorPrimitives.MultiplyAdd(imageRun, dy[row], kernelRun, kernelRun);
        }
    }
}

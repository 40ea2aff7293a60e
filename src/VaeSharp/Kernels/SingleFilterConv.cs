using System.Runtime.Intrinsics;

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
        // The walk of ReceptiveFields.Walk, inlined: a window's runs (three of 96 floats for 3×3 over 32 channels) share
        // four vector sums that stay in registers and are reduced once per window. A dot product per run, through a
        // visitor, spent more on set-up and reduction than on multiply-adds: 17.7 → 11.1 ms for conv's last layer at
        // batch 1000 (bench `layers`), where reading the 100 MB image is now most of it.
        fixed (float* pImage = image, pKernel = kernel, pY = y)
        {
            int rowWidth = kernelW * channels;
            var position = new WindowPosition(firstRow, outH, outW);
            for (int row = firstRow; row < firstRow + rows; row++, position.Next())
            {
                var (n, oh, ow) = (position.Image, position.Row, position.Column);
                int left = ow * stride - padLeft;
                int kwStart = Math.Max(0, -left), kwEnd = Math.Min(kernelW, width - left);
                if (kwStart >= kwEnd) continue;
                int length = (kwEnd - kwStart) * channels;
                Vector256<float> sum0 = default, sum1 = default, sum2 = default, sum3 = default;
                float tail = 0f;
                for (int kh = 0; kh < kernelH; kh++)
                {
                    int ih = oh * stride - padTop + kh;
                    if (ih < 0 || ih >= height) continue;
                    float* x = pImage + ((n * height + ih) * width + left + kwStart) * channels; // (length)
                    float* w = pKernel + kh * rowWidth + kwStart * channels; // (length)
                    int i = 0;
                    for (; i + 32 <= length; i += 32)
                    {
                        sum0 = GemmMicroKernels.MulAdd(Vector256.Load(x + i), Vector256.Load(w + i), sum0);
                        sum1 = GemmMicroKernels.MulAdd(Vector256.Load(x + i + 8), Vector256.Load(w + i + 8), sum1);
                        sum2 = GemmMicroKernels.MulAdd(Vector256.Load(x + i + 16), Vector256.Load(w + i + 16), sum2);
                        sum3 = GemmMicroKernels.MulAdd(Vector256.Load(x + i + 24), Vector256.Load(w + i + 24), sum3);
                    }
                    for (; i + 8 <= length; i += 8)
                        sum0 = GemmMicroKernels.MulAdd(Vector256.Load(x + i), Vector256.Load(w + i), sum0);
                    for (; i < length; i++)
                        tail = MathF.FusedMultiplyAdd(x[i], w[i], tail);
                }
                pY[row] += Vector256.Sum((sum0 + sum1) + (sum2 + sum3)) + tail;
            }
        }
    }

    /// <summary>dKernel += Σ dy[row]·window(row) over the windows; dKernel: (kernelH·kernelW·channels).</summary>
    public static unsafe void AccumulateKernelGradient(ReadOnlySpan<float> image, ReadOnlySpan<float> dy, Span<float> dKernel,
        int height, int width, int channels, int kernelH, int kernelW, int stride, int padTop, int padLeft, int outH, int outW,
        int firstRow, int rows)
    {
        fixed (float* pImage = image, pDy = dy, pKernel = dKernel)
        {
            if (ByPosition(channels, stride, outH, outW, firstRow, rows))
            {
                KernelGradientByPosition(pImage, pDy, pKernel, height, width, channels, kernelH, kernelW, padTop, padLeft,
                    outH, outW, firstRow / (outH * outW), rows / (outH * outW));
                return;
            }
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
            if (ByPosition(channels, stride, outH, outW, firstRow, rows))
            {
                ImageGradientByPosition(pKernel, pDy, pImage, height, width, channels, kernelH, kernelW, padTop, padLeft,
                    outH, outW, firstRow / (outH * outW), rows / (outH * outW));
                return;
            }
            var visitor = new ScaledAddVisitor(pImage, pDy, pKernel, intoImage: true);
            ReceptiveFields.Walk(ref visitor, height, width, channels, kernelH, kernelW, stride, padTop, padLeft, outH, outW,
                firstRow, rows);
        }
    }

    // Whole images of a stride-1 convolution with channels in whole vectors go kernel position by kernel position:
    // each position's output pixels form one rectangle, walked with no per-window set-up. Window by window, the walk and
    // its short runs were 6% of impute-vaeac's samples on Vector256.
    private static bool ByPosition(int channels, int stride, int outH, int outW, int firstRow, int rows) =>
        stride == 1 && channels % 8 == 0 && firstRow % (outH * outW) == 0 && rows % (outH * outW) == 0;

    // dKernel[kh, kw, ·] += Σ dy·x over the output pixels whose window holds (kh, kw), 8 channels at a time, the sums in
    // four registers that take the pixels in turn.
    private static unsafe void KernelGradientByPosition(float* image, float* dy, float* dKernel, int height, int width,
        int channels, int kernelH, int kernelW, int padTop, int padLeft, int outH, int outW, int firstImage, int images)
    {
        foreach (var (n, kh, kw, ohStart, ohEnd, owStart, owEnd) in
            ReceptiveFields.ByKernelPosition(height, width, kernelH, kernelW, padTop, padLeft, outH, outW, firstImage, images))
        {
            int count = owEnd - owStart;
            for (int c = 0; c < channels; c += 8)
            {
                Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
                for (int oh = ohStart; oh < ohEnd; oh++)
                {
                    float* x = image + (((long)n * height + oh + kh - padTop) * width + owStart + kw - padLeft) * channels + c;
                    float* g = dy + ((long)n * outH + oh) * outW + owStart; // (count)
                    int i = 0;
                    for (; i + 4 <= count; i += 4, x += 4 * channels)
                    {
                        s0 = GemmMicroKernels.MulAdd(Vector256.Load(x), Vector256.Create(g[i]), s0);
                        s1 = GemmMicroKernels.MulAdd(Vector256.Load(x + channels), Vector256.Create(g[i + 1]), s1);
                        s2 = GemmMicroKernels.MulAdd(Vector256.Load(x + 2 * channels), Vector256.Create(g[i + 2]), s2);
                        s3 = GemmMicroKernels.MulAdd(Vector256.Load(x + 3 * channels), Vector256.Create(g[i + 3]), s3);
                    }
                    for (; i < count; i++, x += channels)
                        s0 = GemmMicroKernels.MulAdd(Vector256.Load(x), Vector256.Create(g[i]), s0);
                }
                float* w = dKernel + (kh * kernelW + kw) * channels + c; // (8)
                Vector256.Store(Vector256.Load(w) + ((s0 + s1) + (s2 + s3)), w);
            }
        }
    }

    // dImage[pixel + (kh, kw)] += dy[pixel]·kernel[kh, kw, ·] over the output pixels whose window holds (kh, kw).
    private static unsafe void ImageGradientByPosition(float* kernel, float* dy, float* dImage, int height, int width,
        int channels, int kernelH, int kernelW, int padTop, int padLeft, int outH, int outW, int firstImage, int images)
    {
        foreach (var (n, kh, kw, ohStart, ohEnd, owStart, owEnd) in
            ReceptiveFields.ByKernelPosition(height, width, kernelH, kernelW, padTop, padLeft, outH, outW, firstImage, images))
        {
            float* k = kernel + (kh * kernelW + kw) * channels; // (channels)
            for (int oh = ohStart; oh < ohEnd; oh++)
            {
                float* d = dImage + (((long)n * height + oh + kh - padTop) * width + owStart + kw - padLeft) * channels;
                float* g = dy + ((long)n * outH + oh) * outW; // (outW)
                for (int ow = owStart; ow < owEnd; ow++, d += channels)
                {
                    var scale = Vector256.Create(g[ow]);
                    for (int c = 0; c < channels; c += 8)
                        Vector256.Store(GemmMicroKernels.MulAdd(Vector256.Load(k + c), scale, Vector256.Load(d + c)), d + c);
                }
            }
        }
    }

    /// <summary>
    /// Adds dy[row] times one side's run into the other's: the image's into the kernel's, or the reverse. Inline
    /// vectors, with TensorPrimitives.MultiplyAdd's rounding (a product, then a sum): a call per run of 48 floats cost
    /// more than its multiply-adds.
    /// </summary>
    private unsafe struct ScaledAddVisitor(float* image, float* dy, float* kernel, bool intoImage) : IFieldRunVisitor
    {
        public readonly void Visit(int row, int imageOffset, int patchOffset, int length)
        {
            float* source = intoImage ? kernel + patchOffset : image + imageOffset; // (length)
            float* target = intoImage ? image + imageOffset : kernel + patchOffset; // (length)
            float scale = dy[row];
            int i = 0;
            if (Vector512.IsHardwareAccelerated)
                for (var scale512 = Vector512.Create(scale); i + 16 <= length; i += 16)
                    Vector512.Store(Vector512.Load(source + i) * scale512 + Vector512.Load(target + i), target + i);
            for (var scale256 = Vector256.Create(scale); i + 8 <= length; i += 8)
                Vector256.Store(Vector256.Load(source + i) * scale256 + Vector256.Load(target + i), target + i);
            for (; i < length; i++) target[i] = source[i] * scale + target[i];
        }
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace VaeSharp.Kernels;

/// <summary>
/// im2col and its adjoint col2im for NHWC images, named after PyTorch's <c>unfold</c> and <c>fold</c>.
/// <see cref="Unfold"/> writes one row per output position holding that position's receptive field, laid out
/// (kernelH, kernelW, channels), so a convolution becomes one matrix product with a (kernelH·kernelW·channels, outC)
/// kernel. Positions that fall in the padding read as zero. Row <c>(n·outH + oh)·outW + ow</c> reads the input rows
/// <c>oh·stride − padTop + kh</c> and columns <c>ow·stride − padLeft + kw</c>; bottom and right padding need no
/// parameter, since anything past the edge is padding.
/// </summary>
public static class Im2Col
{
    /// <summary>im2col: copies every receptive field of <paramref name="image"/> into a row of <paramref name="columns"/>.</summary>
    /// <param name="image">(batch, height, width, channels).</param>
    /// <param name="batch">Number of images.</param>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    /// <param name="channels">Channels per pixel.</param>
    /// <param name="kernelH">Kernel height.</param>
    /// <param name="kernelW">Kernel width.</param>
    /// <param name="stride">Step between output positions, in pixels, along both axes.</param>
    /// <param name="padTop">Zero rows above the image.</param>
    /// <param name="padLeft">Zero columns left of the image.</param>
    /// <param name="outH">Output rows.</param>
    /// <param name="outW">Output columns.</param>
    /// <param name="columns">(batch·outH·outW, kernelH·kernelW·channels); overwritten.</param>
    /// <exception cref="ArgumentException">A size is not positive, a pad is negative, or a span has the wrong length.</exception>
    public static void Unfold(ReadOnlySpan<float> image, int batch, int height, int width, int channels,
        int kernelH, int kernelW, int stride, int padTop, int padLeft, int outH, int outW, Span<float> columns)
    {
        Check(image.Length, columns.Length, batch, height, width, channels, kernelH, kernelW, stride, padTop, padLeft, outH, outW);
        UnfoldRows(image, height, width, channels, kernelH, kernelW, stride, padTop, padLeft, outH, outW,
            0, batch * outH * outW, columns);
    }

    /// <summary>
    /// <see cref="Unfold"/> of the rows [<paramref name="firstRow"/>, <paramref name="firstRow"/> + <paramref name="rows"/>)
    /// only, into <paramref name="columns"/> (rows, kernelH·kernelW·channels); sizes are the caller's to check.
    /// </summary>
    internal static void UnfoldRows(ReadOnlySpan<float> image, int height, int width, int channels,
        int kernelH, int kernelW, int stride, int padTop, int padLeft, int outH, int outW, int firstRow, int rows,
        Span<float> columns)
    {
        int rowWidth = kernelW * channels, patch = kernelH * rowWidth;
        if (rowWidth <= NarrowRow)
        {
            UnfoldNarrowRows(image, height, width, channels, kernelH, kernelW, stride, padTop, padLeft, outH, outW, firstRow, rows, columns);
            return;
        }
        var position = new WindowPosition(firstRow, outH, outW);
        for (int row = firstRow; row < firstRow + rows; row++, position.Next())
        {
            var (n, oh, ow) = (position.Image, position.Row, position.Column);
            var patchRow = columns.Slice((row - firstRow) * patch, patch); // (kernelH, kernelW, channels)
            int left = ow * stride - padLeft;
            // The in-bounds kernel columns form one run, and so do their pixels: one copy per kernel row.
            int kwStart = Math.Max(0, -left), kwEnd = Math.Min(kernelW, width - left);
            for (int kh = 0; kh < kernelH; kh++)
            {
                var destination = patchRow.Slice(kh * rowWidth, rowWidth); // (kernelW, channels)
                int ih = oh * stride - padTop + kh;
                if (ih < 0 || ih >= height || kwStart >= kwEnd)
                {
                    destination.Clear();
                    continue;
                }
                int run = (kwEnd - kwStart) * channels;
                destination[..(kwStart * channels)].Clear();
                image.Slice(((n * height + ih) * width + left + kwStart) * channels, run)
                    .CopyTo(destination.Slice(kwStart * channels, run));
                destination[(kwEnd * channels)..].Clear();
            }
        }
    }

    // Kernel rows at most this many floats wide are copied float by float: conv's first layer (3×3 over one channel)
    // has kernel rows of 3 floats, and a span copy and two clears per kernel row took 65% of that layer's time.
    private const int NarrowRow = 8;

    /// <summary><see cref="UnfoldRows"/> for kernel rows of at most <see cref="NarrowRow"/> floats.</summary>
    private static unsafe void UnfoldNarrowRows(ReadOnlySpan<float> image, int height, int width, int channels,
        int kernelH, int kernelW, int stride, int padTop, int padLeft, int outH, int outW, int firstRow, int rows,
        Span<float> columns)
    {
        int rowWidth = kernelW * channels, patch = kernelH * rowWidth;
        // The pointers below skip the spans' checks: the sizes are checked here once instead.
        if (columns.Length < (long)rows * patch || image.Length < (long)(firstRow + rows + outH * outW - 1) / (outH * outW) * height * width * channels)
            throw new ArgumentException($"im2col: {rows} rows need {(long)rows * patch} column floats and their images; got {columns.Length} and {image.Length}");
        fixed (float* pImage = image, pColumns = columns)
        {
            var position = new WindowPosition(firstRow, outH, outW);
            for (int row = firstRow; row < firstRow + rows; row++, position.Next())
            {
                var (n, oh, ow) = (position.Image, position.Row, position.Column);
                int left = ow * stride - padLeft;
                int start = Math.Max(0, -left) * channels, end = Math.Min(kernelW, width - left) * channels; // in-bounds part of a kernel row
                float* patchRow = pColumns + (long)(row - firstRow) * patch; // (kernelH, kernelW, channels)
                for (int kh = 0; kh < kernelH; kh++, patchRow += rowWidth)
                {
                    int ih = oh * stride - padTop + kh;
                    if (ih < 0 || ih >= height)
                    {
                        for (int j = 0; j < rowWidth; j++) patchRow[j] = 0f;
                        continue;
                    }
                    float* pixels = pImage + ((long)(n * height + ih) * width + left) * channels; // (kernelW·channels) from kw = 0; read only in [start, end)
                    if (start == 0 && end == rowWidth)
                        CopyShortRow(pixels, patchRow, rowWidth);
                    else
                        for (int j = 0; j < rowWidth; j++) patchRow[j] = j >= start && j < end ? pixels[j] : 0f;
                }
            }
        }
    }

    // A kernel row of at most NarrowRow floats, four at a time where it can: impute-vaeac's first local layer (3×3
    // over [x·mask, mask]) has rows of 6 floats, and copying them one by one was 4% of its step held to AVX2. Inlined:
    // as a call per kernel row it was 2% of that step by itself.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void CopyShortRow(float* source, float* target, int count)
    {
        int j = 0;
        for (; j + 4 <= count; j += 4) Vector128.Load(source + j).Store(target + j);
        for (; j < count; j++) target[j] = source[j];
    }

    /// <summary>
    /// col2im, the adjoint of <see cref="Unfold"/>: adds every row of <paramref name="columns"/> back onto the pixels
    /// it was read from, summing where receptive fields overlap and dropping what lands in the padding.
    /// </summary>
    /// <param name="columns">(batch·outH·outW, kernelH·kernelW·channels).</param>
    /// <param name="batch">Number of images.</param>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    /// <param name="channels">Channels per pixel.</param>
    /// <param name="kernelH">Kernel height.</param>
    /// <param name="kernelW">Kernel width.</param>
    /// <param name="stride">Step between output positions, in pixels, along both axes.</param>
    /// <param name="padTop">Zero rows above the image.</param>
    /// <param name="padLeft">Zero columns left of the image.</param>
    /// <param name="outH">Output rows.</param>
    /// <param name="outW">Output columns.</param>
    /// <param name="image">(batch, height, width, channels); accumulated into, not overwritten.</param>
    /// <exception cref="ArgumentException">A size is not positive, a pad is negative, or a span has the wrong length.</exception>
    public static void Fold(ReadOnlySpan<float> columns, int batch, int height, int width, int channels,
        int kernelH, int kernelW, int stride, int padTop, int padLeft, int outH, int outW, Span<float> image)
    {
        Check(image.Length, columns.Length, batch, height, width, channels, kernelH, kernelW, stride, padTop, padLeft, outH, outW);
        FoldRows(columns, height, width, channels, kernelH, kernelW, stride, padTop, padLeft, outH, outW,
            0, batch * outH * outW, image);
    }

    /// <summary>
    /// <see cref="Fold"/> of <paramref name="columns"/> (rows, kernelH·kernelW·channels), which hold the rows
    /// [<paramref name="firstRow"/>, <paramref name="firstRow"/> + <paramref name="rows"/>), into image rows
    /// [<paramref name="bandStart"/>, <paramref name="bandEnd"/>) of each image only (all by default), so that threads
    /// can fold one chunk into disjoint bands; sizes are the caller's to check.
    /// </summary>
    internal static unsafe void FoldRows(ReadOnlySpan<float> columns, int height, int width, int channels,
        int kernelH, int kernelW, int stride, int padTop, int padLeft, int outH, int outW, int firstRow, int rows,
        Span<float> image, int bandStart = 0, int bandEnd = int.MaxValue)
    {
        fixed (float* pColumns = columns, pImage = image)
        {
            var visitor = new FoldVisitor(pColumns, pImage, kernelH * kernelW * channels, firstRow);
            ReceptiveFields.Walk(ref visitor, height, width, channels, kernelH, kernelW, stride, padTop, padLeft, outH, outW,
                firstRow, rows, bandStart, bandEnd);
        }
    }

    /// <summary>
    /// Adds each in-bounds run of a patch row of columns (rows, patch) into the image where its window lies. The add is
    /// written out, not TensorPrimitives.Add: runs are short (96 floats for 3×3 over 32 channels) and the call's set-up
    /// cost as much as the adds (conv's transposed layer at batch 1000: see bench/README.md).
    /// </summary>
    private unsafe struct FoldVisitor(float* columns, float* image, int patch, int firstRow) : IFieldRunVisitor
    {
        public readonly void Visit(int row, int imageOffset, int patchOffset, int length)
        {
            float* pixels = image + imageOffset, run = columns + (long)(row - firstRow) * patch + patchOffset; // (length) each
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
                for (; i + 8 <= length; i += 8)
                    (Vector256.Load(pixels + i) + Vector256.Load(run + i)).Store(pixels + i);
            for (; i < length; i++) pixels[i] += run[i];
        }
    }

    private static void Check(int imageLength, int columnsLength, int batch, int height, int width, int channels,
        int kernelH, int kernelW, int stride, int padTop, int padLeft, int outH, int outW)
    {
        if (batch < 1 || height < 1 || width < 1 || channels < 1 || kernelH < 1 || kernelW < 1 || stride < 1 ||
            outH < 1 || outW < 1 || padTop < 0 || padLeft < 0)
            throw new ArgumentException(
                $"im2col: sizes must be positive and pads non-negative; got batch={batch} image={height}×{width}×{channels} " +
                $"kernel={kernelH}×{kernelW} stride={stride} pad=({padTop}, {padLeft}) out={outH}×{outW}");
        long imageSize = (long)batch * height * width * channels;
        long columnsSize = (long)batch * outH * outW * kernelH * kernelW * channels;
        if (imageLength != imageSize || columnsLength != columnsSize)
            throw new ArgumentException(
                $"im2col: image needs {imageSize} elements and columns {columnsSize}; got {imageLength} and {columnsLength}");
    }
}

namespace VaeSharp.Kernels;

/// <summary>Receives the in-bounds runs of receptive fields from <see cref="ReceptiveFields.Walk"/>.</summary>
internal interface IFieldRunVisitor
{
    /// <summary>
    /// One run: <paramref name="length"/> floats of window <paramref name="row"/>, at <paramref name="imageOffset"/>
    /// in the image and at <paramref name="patchOffset"/> in the (kernelH, kernelW, channels) patch.
    /// </summary>
    void Visit(int row, int imageOffset, int patchOffset, int length);
}

/// <summary>
/// The walk over im2col's windows, for <see cref="Im2Col.Fold"/> and for kernels that use each window where it lies
/// instead of copying it: per window and kernel row, one contiguous run of the NHWC image, with the parts in the padding left out. A struct
/// visitor, so the JIT compiles one loop per use with the visit inlined.
/// </summary>
internal static class ReceptiveFields
{
    /// <summary>
    /// The output rows (or columns) [Start, End) of a stride-1 convolution whose window holds kernel row (or column)
    /// <paramref name="k"/> inside the image: with <paramref name="pad"/> before it, <paramref name="inSize"/> long, into
    /// <paramref name="outSize"/> outputs.
    /// </summary>
    public static (int Start, int End) Covering(int k, int pad, int inSize, int outSize) =>
        (Math.Max(0, pad - k), Math.Min(outSize, inSize + pad - k));

    /// <summary>
    /// The kernel positions of a stride-1 convolution over the images [<paramref name="firstImage"/>, + <paramref name="images"/>),
    /// image by image and then in kernel order, each with the rectangle of output pixels whose window holds it inside
    /// the image (<see cref="Covering"/> along both axes); a position whose rectangle is empty is left out. For kernels
    /// that take a convolution position by position instead of window by window.
    /// </summary>
    public static KernelPositions ByKernelPosition(int height, int width, int kernelH, int kernelW, int padTop, int padLeft,
        int outH, int outW, int firstImage, int images) =>
        new(height, width, kernelH, kernelW, padTop, padLeft, outH, outW, firstImage, images);

    /// <summary>
    /// Visits every in-bounds run of the windows [<paramref name="firstRow"/>, <paramref name="firstRow"/> + <paramref name="rows"/>)
    /// that lies in image rows [<paramref name="bandStart"/>, <paramref name="bandEnd"/>): all of them by default.
    /// </summary>
    public static void Walk<TVisitor>(ref TVisitor visitor, int height, int width, int channels, int kernelH, int kernelW,
        int stride, int padTop, int padLeft, int outH, int outW, int firstRow, int rows, int bandStart = 0, int bandEnd = int.MaxValue)
        where TVisitor : struct, IFieldRunVisitor
    {
        int rowWidth = kernelW * channels, top = Math.Max(0, bandStart), bottom = Math.Min(height, bandEnd);
        var position = new WindowPosition(firstRow, outH, outW);
        for (int row = firstRow; row < firstRow + rows; row++, position.Next())
        {
            var (n, oh, ow) = (position.Image, position.Row, position.Column);
            int left = ow * stride - padLeft;
            int kwStart = Math.Max(0, -left), kwEnd = Math.Min(kernelW, width - left);
            if (kwStart >= kwEnd) continue;
            int length = (kwEnd - kwStart) * channels;
            for (int kh = 0; kh < kernelH; kh++)
            {
                int ih = oh * stride - padTop + kh;
                if (ih < top || ih >= bottom) continue;
                visitor.Visit(row, ((n * height + ih) * width + left + kwStart) * channels, kh * rowWidth + kwStart * channels, length);
            }
        }
    }
}

/// <summary>One kernel position (KernelRow, KernelColumn) of image Image and the output rows and columns [Start, End) whose window holds it.</summary>
internal readonly record struct KernelPosition(int Image, int KernelRow, int KernelColumn, int RowStart, int RowEnd,
    int ColumnStart, int ColumnEnd);

/// <summary>The positions <see cref="ReceptiveFields.ByKernelPosition"/> lists: a struct enumerator, so a foreach allocates nothing.</summary>
internal struct KernelPositions(int height, int width, int kernelH, int kernelW, int padTop, int padLeft, int outH, int outW,
    int firstImage, int images)
{
    private int _next; // the next (image, kernel row, kernel column) in order, counted from the first image's (0, 0)

    /// <summary>The position the last <see cref="MoveNext"/> found.</summary>
    public KernelPosition Current { get; private set; }

    /// <summary>This enumerator, for foreach.</summary>
    public readonly KernelPositions GetEnumerator() => this;

    /// <summary>Steps to the next position whose rectangle is not empty.</summary>
    public bool MoveNext()
    {
        int perImage = kernelH * kernelW;
        while (_next < images * perImage)
        {
            int position = _next++, kh = position % perImage / kernelW, kw = position % kernelW;
            var (rowStart, rowEnd) = ReceptiveFields.Covering(kh, padTop, height, outH);
            var (columnStart, columnEnd) = ReceptiveFields.Covering(kw, padLeft, width, outW);
            if (rowStart >= rowEnd || columnStart >= columnEnd) continue;
            Current = new(firstImage + position / perImage, kh, kw, rowStart, rowEnd, columnStart, columnEnd);
            return true;
        }
        return false;
    }
}

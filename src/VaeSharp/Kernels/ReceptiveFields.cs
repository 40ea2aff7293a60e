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

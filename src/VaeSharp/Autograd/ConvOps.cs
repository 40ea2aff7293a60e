using System.Numerics.Tensors;
using VaeSharp.Kernels;

namespace VaeSharp.Autograd;

/// <summary>
/// 2-D convolution through im2col and the packed GEMM, one chunk of rows at a time (see <see cref="ConvChunks"/>).
/// <para>
/// Images are NHWC, (batch, height, width, channels), row-major, throughout the engine. Two things follow: a Dense
/// layer's (batch, features) view of an image is a plain reshape, with no transpose, and each receptive field is
/// kernelW·channels contiguous floats per kernel row, so im2col copies runs rather than scattering single values.
/// </para>
/// <para>
/// The kernel is stored (kH, kW, inC, outC), as Keras stores it, so that columns (batch·outH·outW, kH·kW·inC) times
/// the kernel viewed as (kH·kW·inC, outC) is the output (batch·outH·outW, outC), which is already NHWC.
/// </para>
/// </summary>
public static class ConvOps
{
    /// <summary>y = conv(x, W) + b for x (batch, height, width, inC), W (kH, kW, inC, outC), b (outC).</summary>
    /// <param name="tape">The tape to record on.</param>
    /// <param name="x">The images, NHWC.</param>
    /// <param name="weight">The kernel, (kH, kW, inC, outC).</param>
    /// <param name="bias">One bias per output channel.</param>
    /// <param name="stride">Step between windows along both axes.</param>
    /// <param name="padding">Border handling; see <see cref="Padding"/>.</param>
    /// <param name="relu">Return max(y, 0) instead, applied to each chunk as it leaves the GEMM.</param>
    /// <returns>(batch, outH, outW, outC).</returns>
    public static Var Conv2D(this Tape tape, Var x, Var weight, Var bias, int stride, Padding padding, bool relu = false)
    {
        if (x.Shape.Rank != 4 || weight.Shape.Rank != 4 || weight.Shape[2] != x.Shape[3] || bias.Shape.Size != weight.Shape[3])
            throw new ArgumentException($"Conv2D: x {x.Shape} (batch, h, w, inC), weight {weight.Shape} (kH, kW, inC, outC), " +
                $"bias {bias.Shape} (outC) do not fit");
        int outChannels = weight.Shape[3];
        var geometry = ConvGeometry.ForConv(x.Shape, weight.Shape[0], weight.Shape[1], stride, padding);
        if (outChannels == 1) return SingleFilter(tape, x, weight, bias, geometry, relu);
        var chunks = new ConvChunks(geometry);
        int positions = geometry.Positions, patch = geometry.PatchSize, chunkRows = chunks.RowsPerChunk;

        var y = tape.NewTensor(new(geometry.Batch, geometry.OutH, geometry.OutW, outChannels)); // y: (batch, outH, outW, outC)
        var biasSpan = bias.Value.Span;
        for (int row = 0; row < positions; row++) biasSpan.CopyTo(y.Row(row));
        float[] scratch = chunks.Rent();
        try
        {
            for (int first = 0; first < positions; first += chunkRows)
            {
                int rows = Math.Min(chunkRows, positions - first);
                var columns = scratch.AsSpan(0, rows * patch); // columns: (rows, kH·kW·inC)
                geometry.UnfoldRows(x.Value.Span, first, rows, columns);
                var yRows = y.Span.Slice(first * outChannels, rows * outChannels); // yRows: (rows, outC)
                Gemm.Multiply(false, false, rows, outChannels, patch, 1f, columns, weight.Value.Span, 1f, yRows);
                if (relu) TensorPrimitives.Max(yRows, 0f, yRows);
            }
        }
        finally
        {
            ConvChunks.Return(scratch);
        }

        var output = tape.Output(y, x.RequiresGrad || weight.RequiresGrad || bias.RequiresGrad);
        tape.Record(output, () =>
        {
            var dy = output.Grad!.Span; // dy: (batch·outH·outW, outC)
            // Nothing reads this node's gradient after its own step, so the ReLU's gate can be applied in place.
            if (relu) Elementwise.ReluBackward(dy, y.Span, dy, accumulate: false);
            if (bias.RequiresGrad) // db += column sums of dy : (outC)
            {
                var dBias = tape.GradOf(bias).Span;
                for (int row = 0; row < positions; row++)
                    TensorPrimitives.Add(dBias, dy.Slice(row * outChannels, outChannels), dBias);
            }
            if (!weight.RequiresGrad && !x.RequiresGrad) return;
            float[] columnsScratch = chunks.Rent(), gradientScratch = chunks.Rent();
            try
            {
                for (int first = 0; first < positions; first += chunkRows)
                {
                    int rows = Math.Min(chunkRows, positions - first);
                    var dyRows = dy.Slice(first * outChannels, rows * outChannels); // dyRows: (rows, outC)
                    if (weight.RequiresGrad) // dW += columnsᵀ·dy : (kH·kW·inC, outC), the chunk unfolded again
                    {
                        var columns = columnsScratch.AsSpan(0, rows * patch); // columns: (rows, kH·kW·inC)
                        geometry.UnfoldRows(x.Value.Span, first, rows, columns);
                        Gemm.Multiply(true, false, patch, outChannels, rows, 1f, columns, dyRows, 1f, tape.GradOf(weight).Span);
                    }
                    if (x.RequiresGrad) // dx += col2im(dy·Wᵀ) : (batch, h, w, inC)
                    {
                        var dColumns = gradientScratch.AsSpan(0, rows * patch); // dColumns: (rows, kH·kW·inC)
                        Gemm.Multiply(false, true, rows, patch, outChannels, 1f, dyRows, weight.Value.Span, 0f, dColumns);
                        geometry.FoldRows(dColumns, first, rows, tape.GradOf(x).Span);
                    }
                }
            }
            finally
            {
                ConvChunks.Return(gradientScratch);
                ConvChunks.Return(columnsScratch);
            }
        });
        return output;
    }

    /// <summary>
    /// One output channel: the dot product of each window with the kernel where the window lies, with no columns
    /// (see <see cref="SingleFilterConv"/>); the same sums as the GEMM path, in another order.
    /// </summary>
    private static Var SingleFilter(Tape tape, Var x, Var weight, Var bias, ConvGeometry g, bool relu)
    {
        var y = tape.NewTensor(new(g.Batch, g.OutH, g.OutW, 1)); // y: (batch, outH, outW, 1)
        y.Span.Fill(bias.Value.Span[0]);
        SingleFilterConv.Forward(x.Value.Span, weight.Value.Span, y.Span,
            g.Height, g.Width, g.Channels, g.KernelH, g.KernelW, g.Stride, g.PadTop, g.PadLeft, g.OutH, g.OutW);
        if (relu) TensorPrimitives.Max(y.Span, 0f, y.Span);

        var output = tape.Output(y, x.RequiresGrad || weight.RequiresGrad || bias.RequiresGrad);
        tape.Record(output, () =>
        {
            var dy = output.Grad!.Span; // dy: (batch·outH·outW)
            if (relu) Elementwise.ReluBackward(dy, y.Span, dy, accumulate: false);
            if (bias.RequiresGrad) tape.GradOf(bias).Span[0] += TensorPrimitives.Sum(dy);
            if (weight.RequiresGrad) // dW += Σ dy·window : (kH·kW·inC)
                SingleFilterConv.AccumulateKernelGradient(x.Value.Span, dy, tape.GradOf(weight).Span,
                    g.Height, g.Width, g.Channels, g.KernelH, g.KernelW, g.Stride, g.PadTop, g.PadLeft, g.OutH, g.OutW);
            if (x.RequiresGrad) // dx += dy·W over each window : (batch, h, w, inC)
                SingleFilterConv.AccumulateImageGradient(weight.Value.Span, dy, tape.GradOf(x).Span,
                    g.Height, g.Width, g.Channels, g.KernelH, g.KernelW, g.Stride, g.PadTop, g.PadLeft, g.OutH, g.OutW);
        });
        return output;
    }
}

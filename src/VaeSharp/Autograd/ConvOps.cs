using System.Numerics.Tensors;
using VaeSharp.Kernels;

namespace VaeSharp.Autograd;

/// <summary>
/// 2-D convolution through im2col and one matrix product.
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
    /// <returns>(batch, outH, outW, outC).</returns>
    public static Var Conv2D(this Tape tape, Var x, Var weight, Var bias, int stride, Padding padding)
    {
        if (x.Shape.Rank != 4 || weight.Shape.Rank != 4 || weight.Shape[2] != x.Shape[3] || bias.Shape.Size != weight.Shape[3])
            throw new ArgumentException($"Conv2D: x {x.Shape} (batch, h, w, inC), weight {weight.Shape} (kH, kW, inC, outC), " +
                $"bias {bias.Shape} (outC) do not fit");
        int outChannels = weight.Shape[3];
        var geometry = ConvGeometry.ForConv(x.Shape, weight.Shape[0], weight.Shape[1], stride, padding);
        int positions = geometry.Positions, patch = geometry.PatchSize;

        var columns = tape.NewTensor(geometry.ColumnsShape); // columns: (batch·outH·outW, kH·kW·inC)
        geometry.Unfold(x.Value.Span, columns.Span);
        var y = tape.NewTensor(new(geometry.Batch, geometry.OutH, geometry.OutW, outChannels)); // y: (batch, outH, outW, outC)
        var biasSpan = bias.Value.Span;
        for (int row = 0; row < positions; row++) biasSpan.CopyTo(y.Row(row));
        Gemm.Multiply(false, false, positions, outChannels, patch, 1f, columns.Span, weight.Value.Span, 1f, y.Span);

        var output = tape.Output(y, x.RequiresGrad || weight.RequiresGrad || bias.RequiresGrad);
        tape.Record(output, () =>
        {
            var dy = output.Grad!.Span; // dy: (batch·outH·outW, outC)
            if (weight.RequiresGrad) // dW += columnsᵀ·dy : (kH·kW·inC, outC)
                Gemm.Multiply(true, false, patch, outChannels, positions, 1f, columns.Span, dy, 1f, tape.GradOf(weight).Span);
            if (bias.RequiresGrad) // db += column sums of dy : (outC)
            {
                var dBias = tape.GradOf(bias).Span;
                for (int row = 0; row < positions; row++)
                    TensorPrimitives.Add(dBias, dy.Slice(row * outChannels, outChannels), dBias);
            }
            if (x.RequiresGrad)
            {
                // dW has read the columns already, so their gradient can take over the buffer.
                var dColumns = columns.Span; // dColumns: (batch·outH·outW, kH·kW·inC) = dy·Wᵀ
                Gemm.Multiply(false, true, positions, patch, outChannels, 1f, dy, weight.Value.Span, 0f, dColumns);
                geometry.Fold(dColumns, tape.GradOf(x).Span); // dx += col2im(dColumns) : (batch, h, w, inC)
            }
        });
        return output;
    }
}

using System.Numerics.Tensors;
using VaeSharp.Kernels;

namespace VaeSharp.Autograd;

/// <summary>
/// 2-D transposed convolution: the adjoint of the convolution that maps its output back to its input, so forward
/// is one matrix product and col2im, and backward is im2col and one matrix product per gradient. Images are NHWC
/// (see <see cref="ConvOps"/>).
/// <para>
/// The kernel is stored (kH, kW, outC, inC), as Keras stores Conv2DTranspose's: it is the (kH, kW, inC', outC')
/// kernel of that adjoint convolution, whose input has our outC channels and whose output has our inC. Viewed as
/// (kH·kW·outC, inC) it needs no copy: x (batch·h·w, inC) times its transpose gives the columns directly.
/// </para>
/// </summary>
public static class ConvTransposeOps
{
    /// <summary>y = convᵀ(x, W) + b for x (batch, height, width, inC), W (kH, kW, outC, inC), b (outC).</summary>
    /// <param name="tape">The tape to record on.</param>
    /// <param name="x">The images, NHWC.</param>
    /// <param name="weight">The kernel, (kH, kW, outC, inC).</param>
    /// <param name="bias">One bias per output channel.</param>
    /// <param name="stride">Upsampling factor along both axes.</param>
    /// <param name="padding">Same gives height·stride rows, valid (height − 1)·stride + kH; see <see cref="Padding"/>.</param>
    /// <param name="outputPadding">Extra rows and columns at the bottom and right, in [0, stride).</param>
    /// <returns>(batch, outH, outW, outC).</returns>
    public static Var ConvTranspose2D(this Tape tape, Var x, Var weight, Var bias, int stride, Padding padding,
        int outputPadding = 0)
    {
        if (x.Shape.Rank != 4 || weight.Shape.Rank != 4 || weight.Shape[3] != x.Shape[3] || bias.Shape.Size != weight.Shape[2])
            throw new ArgumentException($"ConvTranspose2D: x {x.Shape} (batch, h, w, inC), weight {weight.Shape} " +
                $"(kH, kW, outC, inC), bias {bias.Shape} (outC) do not fit");
        int inChannels = x.Shape[3], outChannels = weight.Shape[2];
        // The image of this geometry is our output, and its window positions are our input pixels.
        var geometry = ConvGeometry.ForTranspose(x.Shape, outChannels, weight.Shape[0], weight.Shape[1], stride, padding, outputPadding);
        int positions = geometry.Positions, patch = geometry.PatchSize;

        var columns = tape.NewTensor(geometry.ColumnsShape); // columns: (batch·h·w, kH·kW·outC) = x·Wᵀ
        Gemm.Multiply(false, true, positions, patch, inChannels, 1f, x.Value.Span, weight.Value.Span, 0f, columns.Span);
        var y = tape.NewTensor(new(geometry.Batch, geometry.Height, geometry.Width, outChannels)); // y: (batch, outH, outW, outC)
        var biasSpan = bias.Value.Span;
        for (int row = 0; row < y.Shape.Rows; row++) biasSpan.CopyTo(y.Row(row));
        geometry.Fold(columns.Span, y.Span);

        var output = tape.Output(y, x.RequiresGrad || weight.RequiresGrad || bias.RequiresGrad);
        tape.Record(output, () =>
        {
            var dy = output.Grad!.Span; // dy: (batch·outH·outW, outC)
            if (bias.RequiresGrad) // db += column sums of dy : (outC)
            {
                var dBias = tape.GradOf(bias).Span;
                for (int row = 0; row < y.Shape.Rows; row++)
                    TensorPrimitives.Add(dBias, dy.Slice(row * outChannels, outChannels), dBias);
            }
            if (!x.RequiresGrad && !weight.RequiresGrad) return;
            // Forward no longer needs its columns, so the gradient's columns reuse the buffer.
            var dColumns = columns.Span; // dColumns: (batch·h·w, kH·kW·outC) = im2col(dy)
            geometry.Unfold(dy, dColumns);
            if (x.RequiresGrad) // dx += dColumns·W : (batch·h·w, inC)
                Gemm.Multiply(false, false, positions, inChannels, patch, 1f, dColumns, weight.Value.Span, 1f, tape.GradOf(x).Span);
            if (weight.RequiresGrad) // dW += dColumnsᵀ·x : (kH·kW·outC, inC)
                Gemm.Multiply(true, false, patch, inChannels, positions, 1f, dColumns, x.Value.Span, 1f, tape.GradOf(weight).Span);
        });
        return output;
    }
}

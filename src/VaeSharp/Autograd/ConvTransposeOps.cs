using System.Numerics.Tensors;
using VaeSharp.Kernels;

namespace VaeSharp.Autograd;

/// <summary>
/// 2-D transposed convolution: the adjoint of the convolution that maps its output back to its input, so forward
/// is a matrix product and col2im, and backward is im2col and one matrix product per gradient, each one chunk of
/// rows at a time (see <see cref="ConvChunks"/>). Images are NHWC
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
    /// <param name="relu">Return max(y, 0) instead.</param>
    /// <returns>(batch, outH, outW, outC).</returns>
    public static Var ConvTranspose2D(this Tape tape, Var x, Var weight, Var bias, int stride, Padding padding,
        int outputPadding = 0, bool relu = false)
    {
        if (x.Shape.Rank != 4 || weight.Shape.Rank != 4 || weight.Shape[3] != x.Shape[3] || bias.Shape.Size != weight.Shape[2])
            throw new ArgumentException($"ConvTranspose2D: x {x.Shape} (batch, h, w, inC), weight {weight.Shape} " +
                $"(kH, kW, outC, inC), bias {bias.Shape} (outC) do not fit");
        int inChannels = x.Shape[3], outChannels = weight.Shape[2];
        // The image of this geometry is our output, and its window positions are our input pixels.
        var geometry = ConvGeometry.ForTranspose(x.Shape, outChannels, weight.Shape[0], weight.Shape[1], stride, padding, outputPadding);
        var chunks = new ConvChunks(geometry);
        int positions = geometry.Positions, patch = geometry.PatchSize, chunkRows = chunks.RowsPerChunk;

        var y = tape.NewTensor(new(geometry.Batch, geometry.Height, geometry.Width, outChannels)); // y: (batch, outH, outW, outC)
        var biasSpan = bias.Value.Span;
        for (int row = 0; row < y.Shape.Rows; row++) biasSpan.CopyTo(y.Row(row));
        float[] scratch = chunks.Rent();
        try
        {
            for (int first = 0; first < positions; first += chunkRows)
            {
                int rows = Math.Min(chunkRows, positions - first);
                var columns = scratch.AsSpan(0, rows * patch); // columns: (rows, kH·kW·outC) = x·Wᵀ
                Gemm.Multiply(false, true, rows, patch, inChannels, 1f, x.Value.Span.Slice(first * inChannels, rows * inChannels),
                    weight.Value.Span, 0f, columns);
                geometry.FoldRows(columns, first, rows, y.Span);
            }
        }
        finally
        {
            ConvChunks.Return(scratch);
        }
        // A pixel is final only once every chunk whose windows cover it has been folded in.
        if (relu) TensorPrimitives.Max(y.Span, 0f, y.Span);

        var output = tape.Output(y, x.RequiresGrad || weight.RequiresGrad || bias.RequiresGrad);
        tape.Record(output, () =>
        {
            var dy = output.Grad!.Span; // dy: (batch·outH·outW, outC)
            // Nothing reads this node's gradient after its own step, so the ReLU's gate can be applied in place.
            if (relu) Elementwise.ReluBackward(dy, y.Span, dy, accumulate: false);
            if (bias.RequiresGrad) // db += column sums of dy : (outC)
            {
                var dBias = tape.GradOf(bias).Span;
                for (int row = 0; row < y.Shape.Rows; row++)
                    TensorPrimitives.Add(dBias, dy.Slice(row * outChannels, outChannels), dBias);
            }
            if (!x.RequiresGrad && !weight.RequiresGrad) return;
            float[] gradientScratch = chunks.Rent();
            try
            {
                for (int first = 0; first < positions; first += chunkRows)
                {
                    int rows = Math.Min(chunkRows, positions - first);
                    var dColumns = gradientScratch.AsSpan(0, rows * patch); // dColumns: (rows, kH·kW·outC) = im2col(dy)
                    geometry.UnfoldRows(dy, first, rows, dColumns);
                    if (x.RequiresGrad) // dx += dColumns·W : (rows, inC)
                        Gemm.Multiply(false, false, rows, inChannels, patch, 1f, dColumns, weight.Value.Span, 1f,
                            tape.GradOf(x).Span.Slice(first * inChannels, rows * inChannels));
                    if (weight.RequiresGrad) // dW += dColumnsᵀ·x : (kH·kW·outC, inC)
                        Gemm.Multiply(true, false, patch, inChannels, rows, 1f, dColumns,
                            x.Value.Span.Slice(first * inChannels, rows * inChannels), 1f, tape.GradOf(weight).Span);
                }
            }
            finally
            {
                ConvChunks.Return(gradientScratch);
            }
        });
        return output;
    }
}

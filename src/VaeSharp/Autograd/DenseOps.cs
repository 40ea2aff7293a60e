using VaeSharp.Kernels;

namespace VaeSharp.Autograd;

/// <summary>The affine map y = x·W + b, the only op with a matrix product.</summary>
public static class DenseOps
{
    /// <summary>y = x·W + b for x (batch, in), W (in, out), b (out).</summary>
    public static Var Dense(this Tape tape, Var x, Var weight, Var bias) => Dense(tape, x, weight, bias, relu: false);

    /// <summary>
    /// y = x·W + b for x (batch, in), W (in, out), b (out), or max(y, 0) when <paramref name="relu"/>: the bias and the
    /// ReLU ride on the product's store, the same values and gradients as Dense then Relu with one buffer and two passes fewer.
    /// </summary>
    public static Var Dense(this Tape tape, Var x, Var weight, Var bias, bool relu)
    {
        int batch = x.Shape.Rows, inputs = x.Shape.Cols, outputs = weight.Shape.Cols;
        if (weight.Shape.Rows != inputs || bias.Shape.Size != outputs)
            throw new ArgumentException($"Dense: x {x.Shape}, weight {weight.Shape}, bias {bias.Shape} do not fit");

        var y = tape.NewTensor(new(batch, outputs)); // y: (batch, out)
        // A tape with fixed weights packs W once: the tiled kernel then skips packing it on every call, and the row
        // kernel (a batch of a few rows) streams its contiguous panels instead of a slice of every row of W.
        if (tape.HasFixedWeights && Gemm.PacksWeights(batch, outputs, inputs))
            Gemm.MultiplyAffinePacked(batch, outputs, inputs, x.Value.Span, tape.PackedWeight(weight.Value), bias.Value.Span,
                relu, y.Span);
        else
            Gemm.MultiplyAffine(batch, outputs, inputs, x.Value.Span, weight.Value.Span, bias.Value.Span, relu, y.Span);

        var output = tape.Output(y, x.RequiresGrad || weight.RequiresGrad || bias.RequiresGrad);
        tape.Record(output, () =>
        {
            var dy = output.Grad!.Span; // dy: (batch, out)
            if (relu) Elementwise.ReluBackward(dy, y.Span, dy, accumulate: false); // only this op reads its output's gradient
            if (x.RequiresGrad) // dx += dy·Wᵀ : (batch, in)
            {
                var dx = tape.GradOf(x, out bool overwrite);
                Gemm.Multiply(false, true, batch, inputs, outputs, 1f, dy, weight.Value.Span, overwrite ? 0f : 1f, dx.Span);
            }
            if (weight.RequiresGrad) // dW += xᵀ·dy : (in, out)
                Gemm.Multiply(true, false, inputs, outputs, batch, 1f, x.Value.Span, dy, 1f, tape.GradOf(weight).Span);
            if (bias.RequiresGrad) Elementwise.AddRows(dy, tape.GradOf(bias).Span); // db += column sums of dy : (out)
        });
        return output;
    }
}

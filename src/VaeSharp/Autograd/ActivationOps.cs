using System.Numerics.Tensors;
using VaeSharp.Kernels;

namespace VaeSharp.Autograd;

/// <summary>
/// Elementwise activations. Each backward reuses the saved output where the derivative allows; the transcendental
/// forwards split a long span across the thread budget (<see cref="ParallelMap"/>).
/// </summary>
public static class ActivationOps
{
    /// <summary>max(x, 0).</summary>
    public static Var Relu(this Tape tape, Var x)
    {
        var y = tape.NewTensor(x.Shape);
        TensorPrimitives.Max(x.Value.Span, 0f, y.Span);
        var output = tape.Output(y, x.RequiresGrad);
        tape.Record(output, () =>
        {
            var dx = tape.GradOf(x, out bool overwrite);
            Elementwise.ReluBackward(output.Grad!.Span, y.Span, dx.Span, accumulate: !overwrite);
        });
        return output;
    }

    /// <summary>1 / (1 + e^-x).</summary>
    public static Var Sigmoid(this Tape tape, Var x)
    {
        var y = tape.NewTensor(x.Shape);
        ParallelMap.Run<SigmoidMap>(x.Value.Span, y.Span);
        var output = tape.Output(y, x.RequiresGrad);
        tape.Record(output, () => Elementwise.SigmoidBackward(output.Grad!.Span, y.Span, tape.GradOf(x).Span));
        return output;
    }

    /// <summary>tanh(x).</summary>
    public static Var Tanh(this Tape tape, Var x)
    {
        var y = tape.NewTensor(x.Shape);
        ParallelMap.Run<TanhMap>(x.Value.Span, y.Span);
        var output = tape.Output(y, x.RequiresGrad);
        tape.Record(output, () =>
        {
            ReadOnlySpan<float> dy = output.Grad!.Span, yv = y.Span;
            var dx = tape.GradOf(x).Span;
            var scratch = tape.NewTensor(x.Shape).Span; // scratch: 1 − y²
            TensorPrimitives.Multiply(yv, yv, scratch);
            TensorPrimitives.Subtract(1f, scratch, scratch);
            TensorPrimitives.FusedMultiplyAdd(dy, scratch, dx, dx);
        });
        return output;
    }

    /// <summary>e^x.</summary>
    public static Var Exp(this Tape tape, Var x)
    {
        var y = tape.NewTensor(x.Shape);
        ParallelMap.Run<ExpMap>(x.Value.Span, y.Span);
        var output = tape.Output(y, x.RequiresGrad);
        tape.Record(output, () =>
        {
            var dx = tape.GradOf(x).Span;
            TensorPrimitives.FusedMultiplyAdd(output.Grad!.Span, y.Span, dx, dx);
        });
        return output;
    }

    /// <summary>log(1 + e^x), computed as max(x, 0) + log(1 + e^-|x|) so large |x| neither overflows nor loses digits.</summary>
    public static Var Softplus(this Tape tape, Var x)
    {
        var y = tape.NewTensor(x.Shape);
        ParallelMap.Run<SoftplusMap>(x.Value.Span, y.Span);
        var output = tape.Output(y, x.RequiresGrad);
        tape.Record(output, () =>
        {
            var dx = tape.GradOf(x).Span;
            var slope = tape.NewTensor(x.Shape).Span; // slope: d softplus / dx = sigmoid(x)
            VectorSigmoid.Apply(x.Value.Span, slope);
            TensorPrimitives.FusedMultiplyAdd(output.Grad!.Span, slope, dx, dx);
        });
        return output;
    }
}

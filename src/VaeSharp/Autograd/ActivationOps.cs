using System.Numerics.Tensors;

namespace VaeSharp.Autograd;

/// <summary>Elementwise activations. Each backward reuses the saved output where the derivative allows.</summary>
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
            ReadOnlySpan<float> dy = output.Grad!.Span, yv = y.Span;
            var dx = tape.GradOf(x).Span;
            for (int i = 0; i < dx.Length; i++) if (yv[i] > 0f) dx[i] += dy[i];
        });
        return output;
    }

    /// <summary>1 / (1 + e^-x).</summary>
    public static Var Sigmoid(this Tape tape, Var x)
    {
        var y = tape.NewTensor(x.Shape);
        TensorPrimitives.Sigmoid(x.Value.Span, y.Span);
        var output = tape.Output(y, x.RequiresGrad);
        tape.Record(output, () =>
        {
            ReadOnlySpan<float> dy = output.Grad!.Span, yv = y.Span;
            var dx = tape.GradOf(x).Span;
            for (int i = 0; i < dx.Length; i++) dx[i] += dy[i] * yv[i] * (1f - yv[i]);
        });
        return output;
    }

    /// <summary>tanh(x).</summary>
    public static Var Tanh(this Tape tape, Var x)
    {
        var y = tape.NewTensor(x.Shape);
        TensorPrimitives.Tanh(x.Value.Span, y.Span);
        var output = tape.Output(y, x.RequiresGrad);
        tape.Record(output, () =>
        {
            ReadOnlySpan<float> dy = output.Grad!.Span, yv = y.Span;
            var dx = tape.GradOf(x).Span;
            for (int i = 0; i < dx.Length; i++) dx[i] += dy[i] * (1f - yv[i] * yv[i]);
        });
        return output;
    }

    /// <summary>e^x.</summary>
    public static Var Exp(this Tape tape, Var x)
    {
        var y = tape.NewTensor(x.Shape);
        TensorPrimitives.Exp(x.Value.Span, y.Span);
        var output = tape.Output(y, x.RequiresGrad);
        tape.Record(output, () =>
        {
            ReadOnlySpan<float> dy = output.Grad!.Span, yv = y.Span;
            var dx = tape.GradOf(x).Span;
            for (int i = 0; i < dx.Length; i++) dx[i] += dy[i] * yv[i];
        });
        return output;
    }

    /// <summary>log(1 + e^x), computed as max(x, 0) + log(1 + e^-|x|) so large |x| neither overflows nor loses digits.</summary>
    public static Var Softplus(this Tape tape, Var x)
    {
        var y = tape.NewTensor(x.Shape);
        ReadOnlySpan<float> xv = x.Value.Span;
        var yv = y.Span;
        for (int i = 0; i < yv.Length; i++) yv[i] = Math.Max(xv[i], 0f) + MathF.Log(1f + MathF.Exp(-Math.Abs(xv[i])));
        var output = tape.Output(y, x.RequiresGrad);
        tape.Record(output, () =>
        {
            ReadOnlySpan<float> dy = output.Grad!.Span, xs = x.Value.Span;
            var dx = tape.GradOf(x).Span;
            // d softplus / dx = sigmoid(x)
            for (int i = 0; i < dx.Length; i++) dx[i] += dy[i] / (1f + MathF.Exp(-xs[i]));
        });
        return output;
    }
}

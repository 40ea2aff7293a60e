using System.Numerics.Tensors;

namespace VaeSharp.Autograd;

/// <summary>Elementwise sums and products of same-shaped values, and scaling by a constant.</summary>
public static class ArithmeticOps
{
    /// <summary>a + b, same shapes.</summary>
    public static Var Add(this Tape tape, Var a, Var b)
    {
        RequireSameShape(a, b, nameof(Add));
        var y = tape.NewTensor(a.Shape);
        TensorPrimitives.Add(a.Value.Span, b.Value.Span, y.Span);
        var output = tape.Output(y, a.RequiresGrad || b.RequiresGrad);
        tape.Record(output, () =>
        {
            var dy = output.Grad!.Span;
            if (a.RequiresGrad) TensorPrimitives.Add(tape.GradOf(a).Span, dy, tape.GradOf(a).Span);
            if (b.RequiresGrad) TensorPrimitives.Add(tape.GradOf(b).Span, dy, tape.GradOf(b).Span);
        });
        return output;
    }

    /// <summary>a ⊙ b, same shapes.</summary>
    public static Var Mul(this Tape tape, Var a, Var b)
    {
        RequireSameShape(a, b, nameof(Mul));
        var y = tape.NewTensor(a.Shape);
        TensorPrimitives.Multiply(a.Value.Span, b.Value.Span, y.Span);
        var output = tape.Output(y, a.RequiresGrad || b.RequiresGrad);
        tape.Record(output, () =>
        {
            var dy = output.Grad!.Span;
            if (a.RequiresGrad) TensorPrimitives.FusedMultiplyAdd(dy, b.Value.Span, tape.GradOf(a).Span, tape.GradOf(a).Span);
            if (b.RequiresGrad) TensorPrimitives.FusedMultiplyAdd(dy, a.Value.Span, tape.GradOf(b).Span, tape.GradOf(b).Span);
        });
        return output;
    }

    /// <summary>factor · a.</summary>
    public static Var Scale(this Tape tape, Var a, float factor)
    {
        var y = tape.NewTensor(a.Shape);
        TensorPrimitives.Multiply(a.Value.Span, factor, y.Span);
        var output = tape.Output(y, a.RequiresGrad);
        tape.Record(output, () =>
        {
            var dx = tape.GradOf(a).Span;
            TensorPrimitives.FusedMultiplyAdd(output.Grad!.Span, factor, dx, dx);
        });
        return output;
    }

    private static void RequireSameShape(Var a, Var b, string op)
    {
        if (!a.Shape.Equals(b.Shape)) throw new ArgumentException($"{op}: shapes {a.Shape} and {b.Shape} differ");
    }
}

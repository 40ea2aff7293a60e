using System.Numerics.Tensors;
using VaeSharp.Tensors;

namespace VaeSharp.Autograd;

/// <summary>Reductions of a whole value to a scalar.</summary>
public static class ReductionOps
{
    private static readonly Shape Scalar = new(1);

    /// <summary>The sum of all elements, as a (1) value.</summary>
    public static Var Sum(this Tape tape, Var x) => ScaledSum(tape, x, 1f);

    /// <summary>The mean of all elements, as a (1) value.</summary>
    public static Var Mean(this Tape tape, Var x) => ScaledSum(tape, x, 1f / x.Shape.Size);

    private static Var ScaledSum(Tape tape, Var x, float factor)
    {
        var y = tape.NewTensor(Scalar);
        y.Span[0] = (float)(factor * SumInDouble(x.Value.Span));
        var output = tape.Output(y, x.RequiresGrad);
        tape.Record(output, () =>
        {
            var dx = tape.GradOf(x).Span;
            TensorPrimitives.Add(dx, factor * output.Grad!.Span[0], dx);
        });
        return output;
    }

    /// <summary>Accumulates in double: a float sum over a whole batch loses digits a loss curve can see.</summary>
    internal static double SumInDouble(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (var v in values) sum += v;
        return sum;
    }
}

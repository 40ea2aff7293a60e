namespace VaeSharp.Autograd;

/// <summary>Ops that rearrange elements without arithmetic: concatenation and reshaping.</summary>
public static class ShapeOps
{
    /// <summary>Joins a (rows, p) and b (rows, q) into (rows, p + q) along the last axis.</summary>
    public static Var Concat(this Tape tape, Var a, Var b)
    {
        int rows = a.Shape.Rows, left = a.Shape.Cols, right = b.Shape.Cols;
        if (b.Shape.Rows != rows) throw new ArgumentException($"Concat: {a.Shape} and {b.Shape} have different rows");
        var y = tape.NewTensor(new(rows, left + right)); // y: (rows, p + q)
        for (int row = 0; row < rows; row++)
        {
            a.Value.Row(row).CopyTo(y.Row(row));
            b.Value.Row(row).CopyTo(y.Row(row)[left..]);
        }
        var output = tape.Output(y, a.RequiresGrad || b.RequiresGrad);
        tape.Record(output, () =>
        {
            var dy = output.Grad!;
            for (int row = 0; row < rows; row++)
            {
                var dyRow = dy.Row(row);
                if (a.RequiresGrad) AddInto(tape.GradOf(a).Row(row), dyRow[..left]);
                if (b.RequiresGrad) AddInto(tape.GradOf(b).Row(row), dyRow[left..]);
            }
        });
        return output;
    }

    /// <summary>The same elements under another shape of equal size.</summary>
    public static Var Reshape(this Tape tape, Var x, params int[] dims)
    {
        var y = x.Value.Reshape(dims);
        var output = tape.Output(y, x.RequiresGrad);
        tape.Record(output, () => AddInto(tape.GradOf(x).Span, output.Grad!.Span));
        return output;
    }

    private static void AddInto(Span<float> destination, ReadOnlySpan<float> values) =>
        System.Numerics.Tensors.TensorPrimitives.Add(destination, values, destination);
}

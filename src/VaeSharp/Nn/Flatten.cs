using VaeSharp.Autograd;
using VaeSharp.Tensors;

namespace VaeSharp.Nn;

/// <summary>Turns each example into a vector, e.g. (14, 14, 64) → (12544), so a Dense layer can follow; NHWC needs no transpose.</summary>
public sealed class Flatten : Module
{
    /// <inheritdoc />
    public override Var Forward(Tape tape, Var x) => tape.Reshape(x, x.Shape[0], x.Shape.Size / x.Shape[0]);

    /// <inheritdoc />
    public override Shape OutputShape(Shape inputShape) => new(inputShape.Size);

    /// <inheritdoc />
    public override string Describe() => "Flatten";
}

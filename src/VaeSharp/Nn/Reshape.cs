using VaeSharp.Autograd;
using VaeSharp.Tensors;

namespace VaeSharp.Nn;

/// <summary>Gives each example a new shape of the same size, e.g. (784) → (28, 28, 1); the batch axis is kept.</summary>
public sealed class Reshape : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="exampleDims">The shape of one example after the layer.</param>
    public Reshape(params int[] exampleDims) => ExampleShape = new Shape(exampleDims);

    /// <summary>The shape of one example after the layer.</summary>
    public Shape ExampleShape { get; }

    /// <inheritdoc />
    public override Var Forward(Tape tape, Var x)
    {
        int batch = x.Shape[0];
        if (x.Shape.Size != batch * ExampleShape.Size)
            throw new ArgumentException($"{Describe()}: examples of {x.Shape} do not have {ExampleShape.Size} elements");
        return tape.Reshape(x, [batch, .. ExampleShape.Dims]);
    }

    /// <inheritdoc />
    public override Shape OutputShape(Shape inputShape)
    {
        if (inputShape.Size != ExampleShape.Size)
            throw new ArgumentException($"{Describe()}: {inputShape} does not have {ExampleShape.Size} elements");
        return ExampleShape;
    }

    /// <inheritdoc />
    public override string Describe() => $"Reshape{ExampleShape}";
}

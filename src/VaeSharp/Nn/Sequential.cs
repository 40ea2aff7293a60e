using VaeSharp.Autograd;
using VaeSharp.Tensors;

namespace VaeSharp.Nn;

/// <summary>Layers applied one after another.</summary>
public sealed class Sequential(IReadOnlyList<Module> layers) : Module
{
    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<Module> Layers { get; } = layers;

    /// <inheritdoc />
    public override Var Forward(Tape tape, Var x)
    {
        // Indexed rather than foreach: enumerating an IReadOnlyList boxes its enumerator on every step.
        for (int i = 0; i < Layers.Count; i++) x = Layers[i].Forward(tape, x);
        return x;
    }

    /// <inheritdoc />
    public override Shape OutputShape(Shape inputShape)
    {
        foreach (var layer in Layers) inputShape = layer.OutputShape(inputShape);
        return inputShape;
    }

    /// <inheritdoc />
    public override string Describe() => string.Join(" → ", Layers.Select(layer => layer.Describe()));

    /// <inheritdoc />
    public override IEnumerable<(string Name, Var Parameter)> Parameters => Layers.SelectMany(layer => layer.Parameters);
}

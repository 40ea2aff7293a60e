using VaeSharp.Tensors;

namespace VaeSharp.Autograd;

/// <summary>
/// A node of the computation: a value and, while a <see cref="Tape"/> records, a gradient and the step that
/// pushes that gradient back to the node's inputs.
/// </summary>
public sealed class Var
{
    internal Var(Tensor value, bool requiresGrad, Tensor? grad = null)
    {
        Value = value;
        RequiresGrad = requiresGrad;
        Grad = grad;
    }

    /// <summary>Wraps a constant (an input batch, a target): no gradient flows into it.</summary>
    public static Var Constant(Tensor value) => new(value, requiresGrad: false);

    /// <summary>The value.</summary>
    public Tensor Value { get; internal set; }

    /// <summary>d(loss)/d(this), once <see cref="Tape.Backward"/> has reached this node; null before.</summary>
    public Tensor? Grad { get; internal set; }

    /// <summary>Whether gradients flow into this node.</summary>
    public bool RequiresGrad { get; }

    /// <summary>The shape of <see cref="Value"/>.</summary>
    public Shape Shape => Value.Shape;

    /// <summary>Reads <see cref="Grad"/> and accumulates into the inputs' gradients; null for leaves.</summary>
    internal Action? BackwardStep { get; set; }

    /// <summary>Formats the shape, for debugging.</summary>
    public override string ToString() => $"Var{Shape}";
}

using VaeSharp.Autograd;
using VaeSharp.Tensors;

namespace VaeSharp.Nn;

/// <summary>A layer or a stack of layers: a function of one input, recorded on a tape.</summary>
public abstract class Module
{
    /// <summary>Applies the layer to <paramref name="x"/>.</summary>
    public abstract Var Forward(Tape tape, Var x);

    /// <summary>The output shape for one example of the given input shape (the batch axis left out).</summary>
    public abstract Shape OutputShape(Shape inputShape);

    /// <summary>A short description for summaries, e.g. <c>Dense(512)</c>.</summary>
    public abstract string Describe();

    /// <summary>The parameters this layer owns, by dotted name.</summary>
    public virtual IEnumerable<(string Name, Var Parameter)> Parameters => [];
}

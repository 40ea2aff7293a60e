using VaeSharp.Autograd;
using VaeSharp.Tensors;

namespace VaeSharp.Nn;

/// <summary>The elementwise nonlinearities a model spec can name.</summary>
public enum ActivationKind
{
    /// <summary>max(x, 0).</summary>
    Relu,

    /// <summary>log(1 + e^x).</summary>
    Softplus,

    /// <summary>tanh(x).</summary>
    Tanh,

    /// <summary>1 / (1 + e^−x).</summary>
    Sigmoid,
}

/// <summary>An activation as a layer.</summary>
public sealed class Activation(ActivationKind kind) : Module
{
    /// <summary>Which nonlinearity.</summary>
    public ActivationKind Kind { get; } = kind;

    /// <inheritdoc />
    public override Var Forward(Tape tape, Var x) => Kind switch
    {
        ActivationKind.Relu => tape.Relu(x),
        ActivationKind.Softplus => tape.Softplus(x),
        ActivationKind.Tanh => tape.Tanh(x),
        ActivationKind.Sigmoid => tape.Sigmoid(x),
        _ => throw new InvalidOperationException($"unknown activation {Kind}"),
    };

    /// <inheritdoc />
    public override Shape OutputShape(Shape inputShape) => inputShape;

    /// <inheritdoc />
    public override string Describe() => Kind.ToString();
}

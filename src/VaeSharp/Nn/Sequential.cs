using VaeSharp.Autograd;
using VaeSharp.Tensors;

namespace VaeSharp.Nn;

/// <summary>
/// Layers applied one after another. A convolution or a dense layer followed by a ReLU runs as one fused op (the same
/// values and gradients, one buffer and one pass fewer), and on a tape that does not record each intermediate goes back to the
/// pool as soon as the next layer has read it.
/// </summary>
public sealed class Sequential(IReadOnlyList<Module> layers) : Module
{
    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<Module> Layers { get; } = layers;

    /// <inheritdoc />
    public override Var Forward(Tape tape, Var x)
    {
        var input = x;
        // Indexed rather than foreach: enumerating an IReadOnlyList boxes its enumerator on every step.
        for (int i = 0; i < Layers.Count; i++)
        {
            Var next;
            bool reluNext = i + 1 < Layers.Count && Layers[i + 1] is Activation { Kind: ActivationKind.Relu };
            if (reluNext && Layers[i] is ConvolutionLayer convolution)
            {
                next = convolution.ForwardRelu(tape, x);
                i++;
            }
            else if (reluNext && Layers[i] is Dense dense)
            {
                next = tape.Dense(x, dense.Weight, dense.Bias, relu: true);
                i++;
            }
            else
            {
                next = Layers[i].Forward(tape, x);
            }
            if (x != input) tape.Release(x, next, input);
            x = next;
        }
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

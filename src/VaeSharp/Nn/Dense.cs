using VaeSharp.Autograd;
using VaeSharp.Tensors;

namespace VaeSharp.Nn;

/// <summary>
/// A fully connected layer y = x·W + b with W (in, out), as Keras stores it. The bias starts at zero, except under
/// <see cref="WeightInit.FanInUniform"/>, which draws it like the weights, as PyTorch does.
/// </summary>
public sealed class Dense : Module
{
    /// <summary>Declares <c>{name}.weight</c> and <c>{name}.bias</c> in <paramref name="parameters"/> and initialises W.</summary>
    public Dense(ParameterSet parameters, string name, int inputs, int outputs, WeightInit init, Rng rng)
    {
        Name = name;
        Inputs = inputs;
        Outputs = outputs;
        Weight = parameters.Add(name + ".weight", new Shape(inputs, outputs));
        Bias = parameters.Add(name + ".bias", new Shape(outputs));
        Init.Layer(init, Weight.Value.Span, Bias.Value.Span, inputs, outputs, rng);
    }

    /// <summary>The dotted name prefix of this layer's parameters.</summary>
    public string Name { get; }

    /// <summary>Input width.</summary>
    public int Inputs { get; }

    /// <summary>Output width.</summary>
    public int Outputs { get; }

    /// <summary>W: (in, out).</summary>
    public Var Weight { get; }

    /// <summary>b: (out).</summary>
    public Var Bias { get; }

    /// <inheritdoc />
    public override Var Forward(Tape tape, Var x) => tape.Dense(x, Weight, Bias);

    /// <inheritdoc />
    public override Shape OutputShape(Shape inputShape) => new(Outputs);

    /// <inheritdoc />
    public override string Describe() => $"Dense({Outputs})";

    /// <inheritdoc />
    public override IEnumerable<(string Name, Var Parameter)> Parameters =>
        [(Name + ".weight", Weight), (Name + ".bias", Bias)];
}

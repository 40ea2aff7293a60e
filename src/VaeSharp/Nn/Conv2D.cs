using VaeSharp.Autograd;
using VaeSharp.Tensors;

namespace VaeSharp.Nn;

/// <summary>
/// A 2-D convolution over NHWC images with a square kernel stored (k, k, inC, outC), as Keras stores it. Initialised
/// with fanIn = k·k·inC and fanOut = k·k·outC; the bias starts at zero, except under
/// <see cref="WeightInit.FanInUniform"/>, which draws it like the weights, as PyTorch does.
/// </summary>
public sealed class Conv2D : Module
{
    /// <summary>Declares <c>{name}.weight</c> and <c>{name}.bias</c> in <paramref name="parameters"/> and initialises the kernel.</summary>
    /// <param name="parameters">Where the layer's parameters live.</param>
    /// <param name="name">The dotted name prefix, e.g. <c>encoder.conv1</c>.</param>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="outChannels">Channels of the output (Keras's <c>filters</c>).</param>
    /// <param name="kernelSize">Height and width of the kernel.</param>
    /// <param name="stride">Step between windows along both axes.</param>
    /// <param name="padding">Border handling.</param>
    /// <param name="init">Weight initialisation scheme.</param>
    /// <param name="rng">The generator the initialiser draws from.</param>
    public Conv2D(ParameterSet parameters, string name, int inChannels, int outChannels, int kernelSize, int stride,
        Padding padding, WeightInit init, Rng rng)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        Name = name;
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Weight = parameters.Add(name + ".weight", new Shape(kernelSize, kernelSize, inChannels, outChannels));
        Bias = parameters.Add(name + ".bias", new Shape(outChannels));
        int fanIn = kernelSize * kernelSize * inChannels;
        Init.Apply(init, Weight.Value.Span, fanIn, kernelSize * kernelSize * outChannels, rng);
        if (init == WeightInit.FanInUniform) Init.FanInUniform(Bias.Value.Span, fanIn, rng);
    }

    /// <summary>The dotted name prefix of this layer's parameters.</summary>
    public string Name { get; }

    /// <summary>Channels of the input.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the output.</summary>
    public int OutChannels { get; }

    /// <summary>Height and width of the kernel.</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows along both axes.</summary>
    public int Stride { get; }

    /// <summary>Border handling.</summary>
    public Padding Padding { get; }

    /// <summary>W: (k, k, inC, outC).</summary>
    public Var Weight { get; }

    /// <summary>b: (outC).</summary>
    public Var Bias { get; }

    /// <inheritdoc />
    public override Var Forward(Tape tape, Var x) => tape.Conv2D(x, Weight, Bias, Stride, Padding);

    /// <inheritdoc />
    public override Shape OutputShape(Shape inputShape)
    {
        if (inputShape.Rank != 3 || inputShape[2] != InChannels)
            throw new ArgumentException($"{Describe()} expects (height, width, {InChannels}), not {inputShape}");
        return new(ConvGeometry.ConvAxis(inputShape[0], KernelSize, Stride, Padding).Size,
            ConvGeometry.ConvAxis(inputShape[1], KernelSize, Stride, Padding).Size, OutChannels);
    }

    /// <inheritdoc />
    public override string Describe() =>
        $"Conv2D({OutChannels}, {KernelSize}×{KernelSize}, stride {Stride}, {Padding.ToString().ToLowerInvariant()})";

    /// <inheritdoc />
    public override IEnumerable<(string Name, Var Parameter)> Parameters =>
        [(Name + ".weight", Weight), (Name + ".bias", Bias)];
}

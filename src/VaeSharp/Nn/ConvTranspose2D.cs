using VaeSharp.Autograd;
using VaeSharp.Tensors;

namespace VaeSharp.Nn;

/// <summary>
/// A 2-D transposed convolution over NHWC images with a square kernel stored (k, k, outC, inC), as Keras stores
/// Conv2DTranspose's. Initialised with fanIn = k·k·inC and fanOut = k·k·outC; the bias starts at zero, except under
/// <see cref="WeightInit.FanInUniform"/>, which draws it like the weights.
/// </summary>
public sealed class ConvTranspose2D : Module
{
    /// <summary>Declares <c>{name}.weight</c> and <c>{name}.bias</c> in <paramref name="parameters"/> and initialises the kernel.</summary>
    /// <param name="parameters">Where the layer's parameters live.</param>
    /// <param name="name">The dotted name prefix, e.g. <c>decoder.deconv1</c>.</param>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="outChannels">Channels of the output (Keras's <c>filters</c>).</param>
    /// <param name="kernelSize">Height and width of the kernel.</param>
    /// <param name="stride">Upsampling factor along both axes.</param>
    /// <param name="padding">Same gives size·stride, valid (size − 1)·stride + kernelSize.</param>
    /// <param name="init">Weight initialisation scheme.</param>
    /// <param name="rng">The generator the initialiser draws from.</param>
    /// <param name="outputPadding">Extra rows and columns at the bottom and right, in [0, stride).</param>
    public ConvTranspose2D(ParameterSet parameters, string name, int inChannels, int outChannels, int kernelSize,
        int stride, Padding padding, WeightInit init, Rng rng, int outputPadding = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        if (outputPadding < 0 || outputPadding >= stride)
            throw new ArgumentOutOfRangeException(nameof(outputPadding), outputPadding, $"must be in [0, stride = {stride})");
        Name = name;
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        OutputPadding = outputPadding;
        Weight = parameters.Add(name + ".weight", new Shape(kernelSize, kernelSize, outChannels, inChannels));
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

    /// <summary>Upsampling factor along both axes.</summary>
    public int Stride { get; }

    /// <summary>Border handling.</summary>
    public Padding Padding { get; }

    /// <summary>Extra rows and columns at the bottom and right of the output.</summary>
    public int OutputPadding { get; }

    /// <summary>W: (k, k, outC, inC).</summary>
    public Var Weight { get; }

    /// <summary>b: (outC).</summary>
    public Var Bias { get; }

    /// <inheritdoc />
    public override Var Forward(Tape tape, Var x) => tape.ConvTranspose2D(x, Weight, Bias, Stride, Padding, OutputPadding);

    /// <inheritdoc />
    public override Shape OutputShape(Shape inputShape)
    {
        if (inputShape.Rank != 3 || inputShape[2] != InChannels)
            throw new ArgumentException($"{Describe()} expects (height, width, {InChannels}), not {inputShape}");
        return new(ConvGeometry.TransposeAxis(inputShape[0], KernelSize, Stride, Padding, OutputPadding).Size,
            ConvGeometry.TransposeAxis(inputShape[1], KernelSize, Stride, Padding, OutputPadding).Size, OutChannels);
    }

    /// <inheritdoc />
    public override string Describe() =>
        $"ConvTranspose2D({OutChannels}, {KernelSize}×{KernelSize}, stride {Stride}, {Padding.ToString().ToLowerInvariant()})";

    /// <inheritdoc />
    public override IEnumerable<(string Name, Var Parameter)> Parameters =>
        [(Name + ".weight", Weight), (Name + ".bias", Bias)];
}

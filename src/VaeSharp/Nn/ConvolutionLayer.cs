using VaeSharp.Autograd;
using VaeSharp.Tensors;

namespace VaeSharp.Nn;

/// <summary>
/// What <see cref="Conv2D"/> and <see cref="ConvTranspose2D"/> share: a square kernel over NHWC images, its
/// parameters <c>{name}.weight</c> and <c>{name}.bias</c>, and initialisation with fanIn = k·k·inC and fanOut = k·k·outC.
/// </summary>
public abstract class ConvolutionLayer : Module
{
    /// <summary>Declares the parameters, the kernel with <paramref name="weightShape"/>, and initialises them.</summary>
    private protected ConvolutionLayer(ParameterSet parameters, string name, int inChannels, int outChannels, int kernelSize,
        int stride, Padding padding, WeightInit init, Rng rng, Shape weightShape)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        Name = name;
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Weight = parameters.Add(name + ".weight", weightShape);
        Bias = parameters.Add(name + ".bias", new Shape(outChannels));
        Init.Layer(init, Weight.Value.Span, Bias.Value.Span, kernelSize * kernelSize * inChannels, kernelSize * kernelSize * outChannels, rng);
    }

    /// <summary>The dotted name prefix of this layer's parameters.</summary>
    public string Name { get; }

    /// <summary>Channels of the input.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the output (Keras's <c>filters</c>).</summary>
    public int OutChannels { get; }

    /// <summary>Height and width of the kernel.</summary>
    public int KernelSize { get; }

    /// <summary>The stride: the step between windows, or a transposed layer's upsampling factor.</summary>
    public int Stride { get; }

    /// <summary>Border handling.</summary>
    public Padding Padding { get; }

    /// <summary>The kernel.</summary>
    public Var Weight { get; }

    /// <summary>b: (outC).</summary>
    public Var Bias { get; }

    /// <summary>relu(<see cref="Module.Forward"/>(x)) as one op, the ReLU fused into the convolution's store.</summary>
    internal abstract Var ForwardRelu(Tape tape, Var x);

    /// <summary>The output size along one spatial axis of <paramref name="input"/> elements.</summary>
    private protected abstract int OutputAxis(int input);

    /// <inheritdoc />
    public override Shape OutputShape(Shape inputShape)
    {
        if (inputShape.Rank != 3 || inputShape[2] != InChannels)
            throw new ArgumentException($"{Describe()} expects (height, width, {InChannels}), not {inputShape}");
        return new(OutputAxis(inputShape[0]), OutputAxis(inputShape[1]), OutChannels);
    }

    /// <inheritdoc />
    public override string Describe() =>
        $"{GetType().Name}({OutChannels}, {KernelSize}×{KernelSize}, stride {Stride}, {Padding.ToString().ToLowerInvariant()})";

    /// <inheritdoc />
    public override IEnumerable<(string Name, Var Parameter)> Parameters =>
        [(Name + ".weight", Weight), (Name + ".bias", Bias)];
}

using VaeSharp.Autograd;
using VaeSharp.Tensors;

namespace VaeSharp.Nn;

/// <summary>
/// A 2-D transposed convolution over NHWC images with a square kernel stored (k, k, outC, inC), as Keras stores
/// Conv2DTranspose's; the bias starts at zero, except under <see cref="WeightInit.FanInUniform"/>.
/// </summary>
public sealed class ConvTranspose2D : ConvolutionLayer
{
    /// <summary>Declares <c>{name}.weight</c> and <c>{name}.bias</c> in <paramref name="parameters"/> and initialises the kernel.</summary>
    /// <param name="parameters">Where the layer's parameters live.</param>
    /// <param name="name">The dotted name prefix, e.g. <c>decoder.conv_transpose1</c>.</param>
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
        : base(parameters, name, inChannels, outChannels, kernelSize, stride, padding, init, rng,
            new Shape(kernelSize, kernelSize, outChannels, inChannels))
    {
        if (outputPadding < 0 || outputPadding >= stride)
            throw new ArgumentOutOfRangeException(nameof(outputPadding), outputPadding, $"must be in [0, stride = {stride})");
        OutputPadding = outputPadding;
    }

    /// <summary>Extra rows and columns at the bottom and right of the output.</summary>
    public int OutputPadding { get; }

    /// <inheritdoc />
    public override Var Forward(Tape tape, Var x) => tape.ConvTranspose2D(x, Weight, Bias, Stride, Padding, OutputPadding);

    internal override Var ForwardRelu(Tape tape, Var x) =>
        tape.ConvTranspose2D(x, Weight, Bias, Stride, Padding, OutputPadding, relu: true);

    private protected override int OutputAxis(int input) =>
        ConvGeometry.TransposeAxis(input, KernelSize, Stride, Padding, OutputPadding).Size;
}

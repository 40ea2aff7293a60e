using VaeSharp.Autograd;
using VaeSharp.Tensors;

namespace VaeSharp.Nn;

/// <summary>
/// A 2-D convolution over NHWC images with a square kernel stored (k, k, inC, outC), as Keras stores it; the bias
/// starts at zero, except under <see cref="WeightInit.FanInUniform"/>, which draws it like the weights.
/// </summary>
public sealed class Conv2D : ConvolutionLayer
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
        : base(parameters, name, inChannels, outChannels, kernelSize, stride, padding, init, rng,
            new Shape(kernelSize, kernelSize, inChannels, outChannels))
    {
    }

    // The kernel as inference multiplies by it, kept between calls on non-recording tapes.
    private readonly PreparedKernel _prepared = new();

    /// <inheritdoc />
    public override Var Forward(Tape tape, Var x) => tape.Conv2D(x, Weight, Bias, Stride, Padding, prepared: _prepared);

    internal override Var ForwardRelu(Tape tape, Var x) => tape.Conv2D(x, Weight, Bias, Stride, Padding, relu: true, _prepared);

    private protected override int OutputAxis(int input) => ConvGeometry.ConvAxis(input, KernelSize, Stride, Padding).Size;
}

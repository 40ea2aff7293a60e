using VaeSharp.Autograd;
using VaeSharp.Export;
using VaeSharp.Models;
using VaeSharp.Nn;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Export;

/// <summary>The layer forms the presets do not reach: valid padding, output padding, odd strides, every activation, a Gaussian mean.</summary>
public sealed class OnnxLayerTests
{
    /// <summary>A 9×9 conv model through stride-3 and valid convolutions and transposes with output padding.</summary>
    private static readonly ModelSpec OddConv = new()
    {
        Name = "odd-conv",
        InputShape = [9, 9],
        Hidden = [],
        Latent = 3,
        Masked = true,
        Encoder =
        [
            new LayerSpec { Type = LayerType.Conv2d, Filters = 4, Kernel = 2, Stride = 3, Activation = ActivationKind.Tanh },
            new LayerSpec { Type = LayerType.Conv2d, Filters = 3, Kernel = 2, Stride = 1, Padding = Padding.Valid, Activation = ActivationKind.Softplus },
            new LayerSpec { Type = LayerType.Flatten },
            new LayerSpec { Type = LayerType.Dense, Units = 6, Activation = ActivationKind.Sigmoid },
        ],
        Decoder =
        [
            new LayerSpec { Type = LayerType.Dense, Units = 2 * 2 * 5, Activation = ActivationKind.Relu },
            new LayerSpec { Type = LayerType.Reshape, Shape = [2, 2, 5] },
            new LayerSpec { Type = LayerType.ConvTranspose2d, Filters = 3, Kernel = 3, Stride = 2, Padding = Padding.Valid, OutputPadding = 1, Activation = ActivationKind.Relu },
            new LayerSpec { Type = LayerType.ConvTranspose2d, Filters = 2, Kernel = 2, Stride = 3, Activation = ActivationKind.Tanh },
            new LayerSpec { Type = LayerType.Reshape, Shape = [18, 18, 2] },
            new LayerSpec { Type = LayerType.Conv2d, Filters = 1, Kernel = 4, Stride = 2 },
        ],
    };

    public static TheoryData<string> Specs => ["odd-conv", "gaussian-tanh", "unclamped-sigmoid"];

    [Theory]
    [MemberData(nameof(Specs))]
    public void EncoderAndDecoderMatchTheEngine(string name)
    {
        var model = new VaeModel(Spec(name), new Rng(3));
        var (x, mask) = OnnxRoundTripTests.Inputs(model.Spec, new Rng(4));
        var (mu, logVar) = model.Encode(x, mask);
        var z = new Tensor(new Shape(x.Shape.Rows, model.LatentSize));
        new Rng(5).FillGaussian(z.Span);

        using var encoder = new OnnxRunner(OnnxExport.ToBytes(model, ModelPart.Encoder));
        using var decoder = new OnnxRunner(OnnxExport.ToBytes(model, ModelPart.Decoder));
        var encoded = encoder.Run(mask is null ? [("x", x)] : [("x", x), ("mask", mask)]);
        var decoded = decoder.Run(("z", z));

        OnnxRoundTripTests.AssertClose(mu, encoded["mu"]);
        OnnxRoundTripTests.AssertClose(logVar, encoded["log_var"]);
        string output = model.Spec.Loss == ReconstructionLoss.Gaussian ? "mean" : "probabilities";
        Assert.Equal([output], decoder.OutputNames);
        OnnxRoundTripTests.AssertClose(model.Decode(z), decoded[output]);
    }

    [Fact]
    public void NamesAreTheEnginesParameterNames()
    {
        var model = new VaeModel(Preset.Conv.Spec, new Rng(1));
        var bytes = System.Text.Encoding.UTF8.GetString(OnnxExport.ToBytes(model, ModelPart.Encoder));

        foreach (var name in new[] { "encoder.conv1.weight", "encoder.conv4.bias", "encoder.dense1.weight", "encoder.mu.bias", "encoder.log_var.weight" })
            Assert.Contains(name, bytes);
        Assert.DoesNotContain("decoder.", bytes);
    }

    private static ModelSpec Spec(string name) => name switch
    {
        "odd-conv" => OddConv,
        "gaussian-tanh" => new ModelSpec { Name = name, InputShape = [7], Hidden = [5, 4], Latent = 2, Activation = ActivationKind.Tanh, Loss = ReconstructionLoss.Gaussian },
        _ => new ModelSpec { Name = name, InputShape = [3, 4], Hidden = [6], Latent = 2, Activation = ActivationKind.Sigmoid, UnclampedLogVar = true, Init = WeightInit.He },
    };
}

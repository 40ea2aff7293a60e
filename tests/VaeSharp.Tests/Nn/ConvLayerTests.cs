using VaeSharp.Autograd;
using VaeSharp.Nn;
using VaeSharp.Tensors;
using VaeSharp.Tests.Autograd;

namespace VaeSharp.Tests.Nn;

public class ConvLayerTests
{
    /// <summary>The conv preset (issue 4) from the layers alone: encoder trunk, mu and logVar heads, decoder.</summary>
    private sealed record ConvVae(ParameterSet Parameters, Sequential Encoder, Dense Mu, Dense LogVar, Sequential Decoder);

    private static ConvVae BuildConvPreset()
    {
        var parameters = new ParameterSet();
        var rng = new Rng(1);
        var relu = new Activation(ActivationKind.Relu);
        Conv2D Conv(string name, int inC, int outC, int stride) =>
            new(parameters, name, inC, outC, 3, stride, Padding.Same, WeightInit.Glorot, rng);
        var encoder = new Sequential(
        [
            new Reshape(28, 28, 1),
            Conv("encoder.conv1", 1, 32, 1), relu,
            Conv("encoder.conv2", 32, 64, 2), relu,
            Conv("encoder.conv3", 64, 64, 1), relu,
            Conv("encoder.conv4", 64, 64, 1), relu,
            new Flatten(),
            new Dense(parameters, "encoder.dense", 14 * 14 * 64, 32, WeightInit.Glorot, rng), relu,
        ]);
        var mu = new Dense(parameters, "encoder.mu", 32, 2, WeightInit.Glorot, rng);
        var logVar = new Dense(parameters, "encoder.logvar", 32, 2, WeightInit.Glorot, rng);
        var decoder = new Sequential(
        [
            new Dense(parameters, "decoder.dense", 2, 14 * 14 * 64, WeightInit.Glorot, rng), relu,
            new Reshape(14, 14, 64),
            new ConvTranspose2D(parameters, "decoder.deconv", 64, 32, 3, 2, Padding.Same, WeightInit.Glorot, rng), relu,
            Conv("decoder.conv", 32, 1, 1), // logits: the loss applies the sigmoid
        ]);
        parameters.Seal();
        return new(parameters, encoder, mu, logVar, decoder);
    }

    [Fact]
    public void ConvPresetHasPyTorchsParameterCountAndShapes()
    {
        var model = BuildConvPreset();
        Assert.Equal(550_629, model.Parameters.Count);
        Assert.Equal(new Shape(32), model.Encoder.OutputShape(new Shape(784)));
        Assert.Equal(new Shape(14, 14, 64), model.Encoder.Layers[3].OutputShape(new Shape(28, 28, 32)));
        Assert.Equal(new Shape(28, 28, 1), model.Decoder.OutputShape(new Shape(2)));
        Assert.Equal(new Shape(28, 28, 32), model.Decoder.Layers[3].OutputShape(new Shape(14, 14, 64)));
        var conv2 = (Conv2D)model.Encoder.Layers[3];
        Assert.Equal(new Shape(3, 3, 32, 64), conv2.Weight.Shape);
        var deconv = (ConvTranspose2D)model.Decoder.Layers[3];
        Assert.Equal(new Shape(3, 3, 32, 64), deconv.Weight.Shape); // (k, k, outC, inC)
        Assert.Equal(["decoder.deconv.weight", "decoder.deconv.bias"], deconv.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void ConvPresetRunsForwardAndBackOnABatch()
    {
        var model = BuildConvPreset();
        var tape = new Tape();
        var x = Var.Constant(GradientCheck.Uniform(new Rng(2), 0, 1, 2, 784));
        var hidden = model.Encoder.Forward(tape, x);
        var z = tape.Add(model.Mu.Forward(tape, hidden), model.LogVar.Forward(tape, hidden));
        var logits = model.Decoder.Forward(tape, z);
        Assert.Equal(new Shape(2, 28, 28, 1), logits.Shape);
        tape.Backward(tape.Sum(tape.Mul(logits, logits)));
        var encoderKernel = ((Conv2D)model.Encoder.Layers[1]).Weight.Grad!.ToArray();
        Assert.Contains(encoderKernel, g => g != 0f);
        Assert.All(model.Parameters.Gradients, g => Assert.True(float.IsFinite(g)));

        // Nonzero is not correct: check kernel entries of the first and last convolutions against central finite
        // differences of L = Σ logits², summed in double. L is linear-then-squared in the last kernel, so a wide step
        // is exact there; the first kernel feeds many ReLUs, so its step is small to cross few kinks, and the absolute
        // slack covers the one entry (7) whose difference still straddles one. Halving dW fails both.
        double Loss()
        {
            var inference = new Tape(recording: false, pooled: false);
            var h = model.Encoder.Forward(inference, x);
            var output = model.Decoder.Forward(inference, inference.Add(model.Mu.Forward(inference, h), model.LogVar.Forward(inference, h)));
            return output.Value.ToArray().Sum(v => (double)v * v);
        }
        var checks = new[]
        {
            (Layer: (Conv2D)model.Encoder.Layers[1], Step: 1e-4f, Absolute: 1e-6, Relative: 3e-2),
            (Layer: (Conv2D)model.Decoder.Layers[^1], Step: 1e-2f, Absolute: 1e-9, Relative: 1e-3),
        };
        foreach (var (layer, step, absolute, relative) in checks)
        {
            var analytic = layer.Weight.Grad!.ToArray();
            foreach (int i in new[] { 0, 7, 31, 100, 180, 250 })
            {
                double numeric = GradientCheck.CentralDifference(layer.Weight.Value.Span, i, step, Loss);
                Assert.True(Math.Abs(analytic[i] - numeric) <= absolute + relative * Math.Abs(numeric),
                    $"{layer.Name} weight {i}: analytic {analytic[i]}, numeric {numeric}");
            }
        }
    }

    [Fact]
    public void ConvLayersDescribeThemselvesAndCheckTheirInput()
    {
        var parameters = new ParameterSet();
        var conv = new Conv2D(parameters, "c", 3, 8, 3, 2, Padding.Valid, WeightInit.He, new Rng(1));
        Assert.Equal("Conv2D(8, 3×3, stride 2, valid)", conv.Describe());
        Assert.Equal(new Shape(4, 3, 8), conv.OutputShape(new Shape(9, 8, 3)));
        Assert.Throws<ArgumentException>(() => conv.OutputShape(new Shape(9, 8, 2)));
        var deconv = new ConvTranspose2D(parameters, "d", 8, 3, 3, 2, Padding.Valid, WeightInit.He, new Rng(1), outputPadding: 1);
        Assert.Equal(new Shape(10, 8, 3), deconv.OutputShape(new Shape(4, 3, 8)));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new ConvTranspose2D(parameters, "e", 8, 3, 3, 2, Padding.Same, WeightInit.He, new Rng(1), outputPadding: 2));
        Assert.Equal(new Shape(12544), new Flatten().OutputShape(new Shape(14, 14, 64)));
        Assert.Throws<ArgumentException>(() => new Reshape(28, 28, 1).OutputShape(new Shape(783)));
    }
}

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

        // Nonzero is not correct: check the first and last convolutions against central finite differences of
        // L = Σ logits², summed in double. L is linear-then-squared in the last kernel, so single entries with a wide
        // step are exact there. The first kernel's entries have gradients near 1e-6, at float32's noise floor, so it is
        // checked along a random ±1 direction over the whole kernel, whose derivative is the sum of them all.
        double Loss()
        {
            var inference = new Tape(recording: false, pooled: false);
            var h = model.Encoder.Forward(inference, x);
            var output = model.Decoder.Forward(inference, inference.Add(model.Mu.Forward(inference, h), model.LogVar.Forward(inference, h)));
            return output.Value.ToArray().Sum(v => (double)v * v);
        }
        var last = (Conv2D)model.Decoder.Layers[^1];
        var lastGradient = last.Weight.Grad!.ToArray();
        foreach (int i in new[] { 0, 7, 31, 100, 180, 250 })
        {
            double numeric = GradientCheck.CentralDifference(last.Weight.Value.Span, i, 1e-2f, Loss);
            Assert.True(Math.Abs(lastGradient[i] - numeric) <= 1e-9 + 1e-3 * Math.Abs(numeric),
                $"{last.Name} weight {i}: analytic {lastGradient[i]}, numeric {numeric}");
        }
        var first = (Conv2D)model.Encoder.Layers[1];
        var weights = first.Weight.Value.Span;
        var signs = new Rng(5);
        var direction = new float[weights.Length];
        for (int i = 0; i < direction.Length; i++) direction[i] = signs.NextDouble() < 0.5 ? -1f : 1f;
        double analyticAlong = first.Weight.Grad!.ToArray().Select((g, i) => (double)g * direction[i]).Sum();
        var saved = weights.ToArray();
        double LossAt(float t)
        {
            for (int i = 0; i < saved.Length; i++) first.Weight.Value.Span[i] = saved[i] + t * direction[i];
            return Loss();
        }
        const float step = 1e-4f;
        double numericAlong = (LossAt(step) - LossAt(-step)) / (2 * step);
        saved.CopyTo(weights);
        Assert.True(Math.Abs(analyticAlong - numericAlong) <= 3e-2 * Math.Abs(numericAlong),
            $"{first.Name} along a random direction: analytic {analyticAlong}, numeric {numericAlong}");
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

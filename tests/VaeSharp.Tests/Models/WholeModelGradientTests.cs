using VaeSharp.Autograd;
using VaeSharp.Models;
using VaeSharp.Nn;
using VaeSharp.Tensors;
using VaeSharp.Tests.Autograd;

namespace VaeSharp.Tests.Models;

/// <summary>
/// Every parameter of one small model per family (MLP, conv, masked, conditional) against central differences, not
/// just two probes per tensor; the analytic gradient is taken on a fresh tape and on a pooled tape that has already
/// served a step on other data, as the trainer's does.
/// </summary>
public class WholeModelGradientTests
{
    [Theory]
    [InlineData("mlp")]
    [InlineData("conv")]
    [InlineData("masked")]
    [InlineData("conditional")]
    public void EveryParameterMatchesCentralDifferences(string family)
    {
        var spec = SmallSpec(family);
        var model = new VaeModel(spec, new Rng(3));
        // Zero biases would sit relu-style kinks exactly on windows that see only missing entries.
        var jitter = new Rng(9);
        for (int i = 0; i < model.Parameters.Count; i++) model.Parameters.Values[i] += jitter.NextUniform(-0.1f, 0.1f);
        int features = spec.InputShape.Aggregate(1, (a, b) => a * b);
        var x = GradientCheck.Uniform(new Rng(4), 0f, 1f, 4, features);
        Tensor? mask = null;
        if (spec.Masked)
        {
            mask = Tensor.Zeros(4, features);
            for (int i = 0; i < mask.Size; i++) mask.Span[i] = i % 3 == 0 ? 0f : 1f;
        }
        // A fresh Rng(11) each call draws the same eps, so the loss is a function of the weights alone.
        double Loss() => model.Loss(new Tape(recording: false, pooled: false), Var.Constant(x), mask, new Rng(11)).Total.Value.Span[0];
        var fresh = AnalyticGradient(model, new Tape(recording: true, pooled: false), x, mask);
        var pooledTape = new Tape(recording: true, pooled: true);
        AnalyticGradient(model, pooledTape, GradientCheck.Uniform(new Rng(5), 0f, 1f, 4, features), mask);
        pooledTape.Reset();
        var pooled = AnalyticGradient(model, pooledTape, x, mask);

        var values = model.Parameters.Values;
        // 1e-2 is too coarse here: tanh curvature put parameter 1307 10% off.
        const float step = 2e-3f;
        for (int index = 0; index < model.Parameters.Count; index++)
        {
            double numeric = GradientCheck.CentralDifference(values, index, step, Loss);
            double scale = Math.Max(1.0, Math.Max(Math.Abs(numeric), Math.Abs(fresh[index])));
            Assert.True(Math.Abs(numeric - fresh[index]) <= 5e-3 * scale,
                $"{family} parameter {index}: analytic {fresh[index]}, numeric {numeric}");
            Assert.True(Math.Abs(numeric - pooled[index]) <= 5e-3 * scale,
                $"{family} parameter {index} on a reused pooled tape: analytic {pooled[index]}, numeric {numeric}");
        }
    }

    private static float[] AnalyticGradient(VaeModel model, Tape tape, Tensor x, Tensor? mask)
    {
        model.Parameters.ZeroGradients();
        tape.Backward(model.Loss(tape, Var.Constant(x), mask, new Rng(11)).Total);
        return model.Parameters.Gradients.ToArray();
    }

    private static ModelSpec SmallSpec(string family) => family switch
    {
        "conv" => new ModelSpec
        {
            Name = "c", InputShape = [6, 6, 1], Hidden = [], Latent = 2, Activation = ActivationKind.Tanh,
            Encoder =
            [
                Conv(LayerType.Conv2d, 3, 1), Conv(LayerType.Conv2d, 4, 2), new LayerSpec { Type = LayerType.Flatten },
                new LayerSpec { Type = LayerType.Dense, Units = 5, Activation = ActivationKind.Tanh },
            ],
            Decoder =
            [
                new LayerSpec { Type = LayerType.Dense, Units = 3 * 3 * 4, Activation = ActivationKind.Tanh },
                new LayerSpec { Type = LayerType.Reshape, Shape = [3, 3, 4] },
                Conv(LayerType.ConvTranspose2d, 3, 2),
                new LayerSpec { Type = LayerType.Conv2d, Filters = 1, Kernel = 3 },
            ],
        },
        _ => new ModelSpec
        {
            Name = "c", InputShape = [4, 4], Hidden = [8], Latent = 2, Masked = family != "mlp",
            Conditional = family == "conditional", LocalFilters = family == "conditional" ? 3 : 0,
            Activation = ActivationKind.Tanh,
        },
    };

    private static LayerSpec Conv(LayerType type, int filters, int stride) =>
        new() { Type = type, Filters = filters, Kernel = 3, Stride = stride, Activation = ActivationKind.Tanh };
}

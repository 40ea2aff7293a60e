using VaeSharp.Autograd;
using VaeSharp.Models;
using VaeSharp.Tensors;
using VaeSharp.Tests.Autograd;

namespace VaeSharp.Tests.Models;

/// <summary>Every parameter of a small conditional model against central differences, not just two probes per tensor.</summary>
public class WholeModelGradientTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void EveryParameterMatchesCentralDifferences(bool masked, bool conditional)
    {
        var spec = new ModelSpec
        {
            Name = "c", InputShape = [4, 4], Hidden = [8], Latent = 2, Masked = masked, Conditional = conditional,
            LocalFilters = conditional ? 3 : 0, Activation = VaeSharp.Nn.ActivationKind.Tanh,
        };
        var model = new VaeModel(spec, new Rng(3));
        // Zero biases would sit relu-style kinks exactly on windows that see only missing entries.
        var jitter = new Rng(9);
        for (int i = 0; i < model.Parameters.Count; i++) model.Parameters.Values[i] += jitter.NextUniform(-0.1f, 0.1f);
        var x = VaeSharp.Tests.Autograd.GradientCheck.Uniform(new Rng(4), 0f, 1f, 4, 16);
        Tensor? mask = null;
        if (masked)
        {
            mask = Tensor.Zeros(4, 16);
            for (int i = 0; i < mask.Size; i++) mask.Span[i] = i % 3 == 0 ? 0f : 1f;
        }
        // A fresh Rng(11) each call draws the same eps, so the loss is a function of the weights alone.
        double Loss() => model.Loss(new Tape(recording: false, pooled: false), Var.Constant(x), mask, new Rng(11)).Total.Value.Span[0];
        var recording = new Tape(recording: true, pooled: false);
        model.Parameters.ZeroGradients();
        recording.Backward(model.Loss(recording, Var.Constant(x), mask, new Rng(11)).Total);
        var analytic = model.Parameters.Gradients.ToArray();
        var values = model.Parameters.Values;
        // 1e-2 is too coarse here: tanh curvature put parameter 1307 10% off.
        const float step = 2e-3f;
        for (int index = 0; index < model.Parameters.Count; index++)
        {
            double numeric = GradientCheck.CentralDifference(values, index, step, Loss);
            double scale = Math.Max(1.0, Math.Max(Math.Abs(numeric), Math.Abs(analytic[index])));
            Assert.True(Math.Abs(numeric - analytic[index]) <= 5e-3 * scale,
                $"parameter {index}: analytic {analytic[index]}, numeric {numeric}");
        }
    }
}

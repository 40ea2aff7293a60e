using VaeSharp.Autograd;
using VaeSharp.Models;
using VaeSharp.Tensors;
using VaeSharp.Tests.Autograd;

namespace VaeSharp.Tests.Models;

public class ConditionalModelTests
{
    private static readonly ModelSpec Spec = new()
    {
        Name = "c", InputShape = [4, 4], Hidden = [8], Latent = 2, Masked = true, Conditional = true, LocalFilters = 3,
        Activation = VaeSharp.Nn.ActivationKind.Tanh,
    };

    /// <summary>(rows, 16) values uniform in [0, 1).</summary>
    private static Tensor Uniform(int rows, ulong seed) => VaeSharp.Tests.Autograd.GradientCheck.Uniform(new Rng(seed), 0f, 1f, rows, 16);

    /// <summary>(rows, 16): every third entry missing.</summary>
    private static Tensor EveryThirdMissing(int rows)
    {
        var mask = Tensor.Zeros(rows, 16);
        for (int i = 0; i < mask.Size; i++) mask.Span[i] = i % 3 == 0 ? 0f : 1f;
        return mask;
    }

    [Fact]
    public void TheDecoderReadsZAndTheObservedEntries()
    {
        var model = new VaeModel(Spec, new Rng(1));
        Assert.Equal(2 + 32, Spec.DecoderInputSize);
        var x = Uniform(2, 2);
        var mask = EveryThirdMissing(2);
        var z = Tensor.Zeros(2, 2);
        var decoded = model.Decode(z, x, mask).ToArray();
        var changed = Tensor.FromArray(x.ToArray(), 2, 16);
        changed.Span[1] += 0.5f; // observed
        Assert.NotEqual(decoded, model.Decode(z, changed, mask).ToArray());
        changed = Tensor.FromArray(x.ToArray(), 2, 16);
        changed.Span[3] = 9f; // missing
        Assert.Equal(decoded, model.Decode(z, changed, mask).ToArray());
    }

    [Fact]
    public void AnUnconditionalDecoderRefusesObservations()
    {
        var model = new VaeModel(Spec with { Conditional = false, LocalFilters = 0 }, new Rng(1));
        Assert.Throws<ArgumentException>(() => model.Decode(Tensor.Zeros(1, 2), Uniform(1, 1), null));
    }

    [Fact]
    public void TheSummaryCountsTheObservedPaths()
    {
        var model = new VaeModel(Spec, new Rng(1));
        Assert.Equal(model.Parameters.Count, model.Summary().Sum(row => row.Parameters));
        Assert.Contains(model.Summary(), row => row.Name == "decoder.observed" && row.Parameters == 32 * 16 + 16);
        Assert.Contains(model.Summary(), row => row.Name == "decoder.local1" && row.Parameters == 3 * 3 * 2 * 3 + 3);
    }

    [Fact]
    public void LossGradientsMatchFiniteDifferencesForEveryPart()
    {
        var model = new VaeModel(Spec, new Rng(3));
        // Biases start at 0, which would put relu's kink exactly where a window sees only missing entries.
        var jitter = new Rng(9);
        for (int i = 0; i < model.Parameters.Count; i++) model.Parameters.Values[i] += jitter.NextUniform(-0.1f, 0.1f);
        var x = Uniform(4, 4);
        var mask = EveryThirdMissing(4);
        // The same seed each time hides the same entries and draws the same eps, so the loss is a function of the weights.
        double Loss()
        {
            var tape = new Tape(recording: false, pooled: false);
            return model.Loss(tape, Var.Constant(x), mask, new Rng(11)).Total.Value.Span[0];
        }
        var recording = new Tape(recording: true, pooled: false);
        model.Parameters.ZeroGradients();
        recording.Backward(model.Loss(recording, Var.Constant(x), mask, new Rng(11)).Total);
        var analytic = model.Parameters.Gradients.ToArray();
        var values = model.Parameters.Values;
        foreach (var (name, parameter) in model.Parameters.Entries)
        {
            // Two entries of every tensor: the encoder, both heads, the decoder body and both observed paths.
            int offset = Array.IndexOf(model.Parameters.Entries.Select(e => e.Name).ToArray(), name);
            int start = model.Parameters.Entries.Take(offset).Sum(e => e.Parameter.Shape.Size);
            foreach (int index in new[] { start, start + parameter.Shape.Size / 2 })
            {
                double numeric = GradientCheck.CentralDifference(values, index, 2e-3f, Loss);
                Assert.True(Math.Abs(numeric - analytic[index]) <= 5e-3 + 3e-2 * Math.Abs(numeric),
                    $"{name}[{index - start}]: analytic {analytic[index]}, numeric {numeric}");
            }
        }
    }

    [Fact]
    public void EntriesTheRowDoesNotObserveNeverReachTheLoss()
    {
        var model = new VaeModel(Spec, new Rng(1));
        var x = Uniform(3, 2);
        var mask = EveryThirdMissing(3);
        var other = Tensor.FromArray(x.ToArray(), 3, 16);
        for (int i = 0; i < mask.Size; i++) if (mask.Span[i] == 0f) other.Span[i] = 7f;
        float Loss(Tensor batch) => model.Loss(new Tape(recording: false, pooled: false), Var.Constant(batch), mask, new Rng(5)).Total.Value.Span[0];
        Assert.Equal(Loss(x), Loss(other));
    }

    [Fact]
    public void GenerateSamplesTheLearnedPriorGivenNothing()
    {
        var model = new VaeModel(Spec, new Rng(1));
        var images = model.Generate(5, new Rng(2));
        Assert.Equal(new Shape(5, 16), images.Shape);
        Assert.All(images.ToArray(), p => Assert.InRange(p, 0f, 1f));
        Assert.Equal(images.ToArray(), model.Generate(5, new Rng(2)).ToArray());
    }

    [Fact]
    public void SaveAndLoadKeepTheConditionalArchitecture()
    {
        var model = new VaeModel(Spec, new Rng(1));
        var path = Path.Combine(Path.GetTempPath(), $"vaesharp-conditional-{Guid.NewGuid():N}.safetensors");
        try
        {
            ModelFile.Save(model, path);
            var loaded = ModelFile.Load(path);
            Assert.True(loaded.Spec.Conditional);
            Assert.Equal(3, loaded.Spec.LocalFilters);
            var x = Uniform(2, 3);
            var mask = EveryThirdMissing(2);
            Assert.Equal(model.Decode(Tensor.Zeros(2, 2), x, mask).ToArray(), loaded.Decode(Tensor.Zeros(2, 2), x, mask).ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }
}

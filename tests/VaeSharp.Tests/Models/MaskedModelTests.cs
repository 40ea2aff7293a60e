using VaeSharp.Autograd;
using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Models;

public class MaskedModelTests
{
    private static readonly ModelSpec Spec = new() { Name = "m", InputShape = [4, 4], Hidden = [8], Latent = 2, Masked = true };

    /// <summary>(rows, 16) values uniform in [0, 1).</summary>
    private static Tensor Uniform(int rows, ulong seed) => VaeSharp.Tests.Autograd.GradientCheck.Uniform(new Rng(seed), 0f, 1f, rows, 16);

    [Fact]
    public void MaskedEncoderReadsTwiceTheFeatures()
    {
        var model = new VaeModel(Spec, new Rng(1));
        Assert.Equal(32, Spec.EncoderInputSize);
        Assert.Equal("(32, 8)", model.Parameters.Entries[0].Parameter.Shape.ToString());
        Assert.Equal(new Shape(3, 2), model.Transform(Uniform(3, 2)).Shape);
    }

    [Fact]
    public void MissingValuesChangeNeitherTheLossNorTheEncoding()
    {
        var model = new VaeModel(Spec, new Rng(1));
        var x = Uniform(3, 2);
        var mask = Tensor.Zeros(3, 16);
        for (int i = 0; i < mask.Size; i++) mask.Span[i] = i % 3 == 0 ? 0f : 1f;
        var other = Tensor.FromArray(x.ToArray(), 3, 16);
        for (int i = 0; i < mask.Size; i++) if (mask.Span[i] == 0f) other.Span[i] = 7f;

        float Loss(Tensor batch) => model.Loss(new Tape(recording: false, pooled: false), Var.Constant(batch), mask, new Rng(5)).Total.Value.Span[0];
        Assert.Equal(Loss(x), Loss(other));
        Assert.Equal(model.Encode(x, mask).Mu.ToArray(), model.Encode(other, mask).Mu.ToArray());
    }

    [Fact]
    public void AnUnmaskedModelRefusesAMask()
    {
        var model = new VaeModel(Spec with { Masked = false }, new Rng(1));
        Assert.Throws<ArgumentException>(() => model.Encode(Uniform(1, 1), Tensor.Zeros(1, 16)));
    }

    [Fact]
    public void MaskedConvolutionalEncoderSeesTheTwoHalvesAsOneTallImage()
    {
        var model = new VaeModel(Preset.Conv.Spec with { Masked = true }, new Rng(1));
        // Flattened (28, 14, 64) doubles to (56, 14, 64) before the Dense 32.
        Assert.Contains(model.Parameters.Entries, entry => entry.Parameter.Shape.ToString() == $"({2 * 14 * 14 * 64}, 32)");
    }
}

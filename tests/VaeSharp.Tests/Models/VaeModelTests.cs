using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Models;

public class VaeModelTests
{
    private static readonly ModelSpec Spec = new() { Name = "t", InputShape = [4, 4], Hidden = [8, 6], Latent = 3, Activation = VaeSharp.Nn.ActivationKind.Tanh };

    /// <summary>(rows, 16) values uniform in [0, 1).</summary>
    private static Tensor Batch(int rows, ulong seed) => VaeSharp.Tests.Autograd.GradientCheck.Uniform(new Rng(seed), 0f, 1f, rows, 16);

    [Fact]
    public void InferenceMethodsHaveTheDocumentedShapes()
    {
        var model = new VaeModel(Spec, new Rng(1));
        var x = Batch(5, 2);
        var (mu, logVar) = model.Encode(x);
        Assert.Equal(new Shape(5, 3), mu.Shape);
        Assert.Equal(new Shape(5, 3), logVar.Shape);
        Assert.Equal(mu.ToArray(), model.Transform(x).ToArray());
        Assert.Equal(new Shape(5, 3), VaeModel.Sample(mu, logVar, new Rng(3)).Shape);
        var reconstruction = model.Reconstruct(x);
        Assert.Equal(new Shape(5, 16), reconstruction.Shape);
        Assert.All(reconstruction.ToArray(), p => Assert.InRange(p, 0f, 1f));
        Assert.Equal(new Shape(7, 16), model.Generate(7, new Rng(4)).Shape);
    }

    [Fact]
    public void SaveAndLoadRoundTripBitForBit()
    {
        var model = new VaeModel(Spec, new Rng(1));
        var path = Path.Combine(Path.GetTempPath(), $"vaesharp-model-{Guid.NewGuid():N}.safetensors");
        try
        {
            ModelFile.Save(model, path);
            var loaded = ModelFile.Load(path);
            Assert.Equal(Spec.Hidden, loaded.Spec.Hidden);
            Assert.Equal(Spec.Activation, loaded.Spec.Activation);
            Assert.Equal(model.Parameters.Values.Select(BitConverter.SingleToInt32Bits), loaded.Parameters.Values.Select(BitConverter.SingleToInt32Bits));
            var x = Batch(3, 5);
            Assert.Equal(model.Reconstruct(x).ToArray(), loaded.Reconstruct(x).ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadingWeightsOfAnotherArchitectureNamesTheMismatch()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vaesharp-model-{Guid.NewGuid():N}.safetensors");
        try
        {
            ModelFile.Save(new VaeModel(Spec, new Rng(1)), path);
            var other = new VaeModel(Spec with { Hidden = [8] }, new Rng(1));
            var error = Assert.Throws<VaeSharp.IO.SafetensorsFormatException>(() => ModelFile.LoadWeights(other, path));
            Assert.Contains("unexpected encoder.dense2.weight", error.Message);
            Assert.Contains(path, error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MseLossScoresSquaredErrorOfProbabilities()
    {
        var model = new VaeModel(Spec with { Loss = ReconstructionLoss.Mse }, new Rng(1));
        var tape = new VaeSharp.Autograd.Tape(recording: false);
        var loss = model.Loss(tape, VaeSharp.Autograd.Var.Constant(Batch(4, 1)), new Rng(2));
        // Each of the 16 pixels contributes at most 1 to the per-example squared error.
        Assert.InRange(loss.Reconstruction.Value.Span[0], 0f, 16f);
    }
}

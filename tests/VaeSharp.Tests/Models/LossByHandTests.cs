using VaeSharp.Autograd;
using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Models;

/// <summary>
/// The loss terms against values worked out in double from the model's own encoder and decoder outputs: the squared
/// error of probabilities (mse), of the raw output (gaussian), the closed-form KL, and total = reconstruction + β·KL.
/// </summary>
public class LossByHandTests
{
    private static readonly ModelSpec Spec = new() { Name = "t", InputShape = [37], Hidden = [9], Latent = 3, Activation = VaeSharp.Nn.ActivationKind.Tanh };

    [Theory]
    [InlineData(ReconstructionLoss.Mse, 1f)]
    [InlineData(ReconstructionLoss.Mse, 0.25f)]
    [InlineData(ReconstructionLoss.Gaussian, 1f)]
    [InlineData(ReconstructionLoss.Gaussian, 3f)]
    public void SquaredErrorKlAndTotalMatchTheHandComputation(ReconstructionLoss kind, float beta)
    {
        var model = new VaeModel(Spec with { Loss = kind }, new Rng(1));
        var x = VaeSharp.Tests.Autograd.GradientCheck.Uniform(new Rng(5), 0f, 1f, 4, 37); // (4, 37)
        var loss = model.Loss(new Tape(recording: false), Var.Constant(x), new Rng(2), beta);

        var (expectedReconstruction, expectedKl) = ByHand(model, x, new Rng(2));
        AssertClose(expectedReconstruction, loss.Reconstruction.Value.Span[0]);
        AssertClose(expectedKl, loss.Kl.Value.Span[0]);
        AssertClose(expectedReconstruction + beta * expectedKl, loss.Total.Value.Span[0]);
    }

    /// <summary>
    /// Draws eps from <paramref name="rng"/> as Loss does, forms z = mu + e^(½·logVar)·eps itself, and scores the
    /// decoder's mean: sigmoid probabilities for mse, the raw output for gaussian (Decode returns exactly these).
    /// </summary>
    private static (double Reconstruction, double Kl) ByHand(VaeModel model, Tensor x, Rng rng)
    {
        var (mu, logVar) = model.Encode(x);
        int rows = x.Shape.Rows, latent = mu.Shape.Cols;
        var eps = new float[rows * latent];
        rng.FillGaussian(eps);
        var z = new float[rows * latent];
        double kl = 0;
        for (int i = 0; i < z.Length; i++)
        {
            double m = mu.Span[i], v = logVar.Span[i];
            z[i] = (float)(m + Math.Exp(0.5 * v) * eps[i]);
            kl += -0.5 * (1 + v - m * m - Math.Exp(v));
        }
        var mean = model.Decode(Tensor.FromArray(z, rows, latent)).Span;
        double squared = 0;
        for (int i = 0; i < mean.Length; i++) squared += (mean[i] - (double)x.Span[i]) * (mean[i] - (double)x.Span[i]);
        return (squared / rows, kl / rows);
    }

    private static void AssertClose(double expected, float actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-4 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");
}

/// <summary>The loss a training step takes is reconstruction + β·KL with the β of its epoch, read from the loss itself.</summary>
public class TrainedLossWeightTests
{
    [Theory]
    [InlineData(0, 0.5)] // no warm-up: the spec's β
    [InlineData(4, 0.125)] // warm-up over 4 epochs: epoch 1 takes a quarter of β = 0.5
    public void TrainingStepLossIsReconstructionPlusWeightedKl(int warmupEpochs, double expectedWeight)
    {
        var spec = new ModelSpec { Name = "t", InputShape = [37], Hidden = [9], Latent = 3, KlWeight = 0.5f };
        var trainer = new VaeSharp.Training.Trainer(new VaeModel(spec, new Rng(1)),
            new VaeSharp.Training.TrainingOptions { KlWarmupEpochs = warmupEpochs, BatchSize = 4 });
        var x = VaeSharp.Tests.Autograd.GradientCheck.Uniform(new Rng(5), 0f, 1f, 4, 37); // (4, 37)
        for (int step = 0; step < 3; step++)
        {
            var (total, reconstruction, kl) = trainer.PartialFit(x);
            Assert.True(kl > 1e-4, $"KL {kl} is too small for the check to tell weights apart");
            Assert.Equal(reconstruction + expectedWeight * kl, total, 4);
        }
    }
}

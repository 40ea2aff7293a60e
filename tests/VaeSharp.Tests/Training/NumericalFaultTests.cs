using VaeSharp.Models;
using VaeSharp.Nn;
using VaeSharp.Optim;
using VaeSharp.Tensors;
using VaeSharp.Training;

namespace VaeSharp.Tests.Training;

public class NumericalFaultTests
{
    private static readonly ModelSpec SmallSpec = new() { Name = "small", InputShape = [8, 8], Hidden = [16], Latent = 2 };
    private readonly VaeSharp.Data.Dataset _train = SyntheticDigits.Create(300, 1);

    /// <summary>
    /// At learning rate 10, SGD blows up within the first epoch. Training must stop with a message naming the epoch,
    /// the batch and the tensor, take no step on the bad gradients, and report no epoch after the fault.
    /// </summary>
    [Fact]
    public void AnAbsurdLearningRateStopsCleanlyNamingWhereAndWhat()
    {
        var trainer = new Trainer(new VaeModel(SmallSpec, new Rng(3)),
            new TrainingOptions { Epochs = 5, BatchSize = 32, LearningRate = 10f, Optimizer = OptimizerKind.Sgd, Seed = 4 });
        int epochsReported = 0;
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(_train, null, epochCompleted: _ => epochsReported++));
        Assert.Matches(@"^(the loss is|gradient of [a-z_.0-9]+ is|gradient norm overflows float32 \(gradient of [a-z_.0-9]+).* at epoch \d+, batch \d+", error.Message);
        Assert.Contains($"at epoch {error.Epoch}, batch {error.Batch}", error.Message);
        Assert.Equal(error.Epoch - 1, epochsReported);
        Assert.All(trainer.Model.Parameters.Values, value => Assert.True(float.IsFinite(value)));
    }

    [Fact]
    public void ANaNGradientNamesItsTensor()
    {
        var parameters = new ParameterSet();
        parameters.Add("encoder.a", new Shape(3));
        parameters.Add("decoder.output.weight", new Shape(2, 2));
        parameters.Seal();
        parameters.Gradients[4] = float.NaN;
        var error = Assert.Throws<TrainingDivergedException>(() => GradientGuard.CheckAndClip(parameters, null, 3, 17));
        Assert.Equal("gradient of decoder.output.weight is NaN at epoch 3, batch 17", error.Message);
    }

    [Fact]
    public void ClippingScalesTheGlobalNormDownToTheLimitAndLeavesSmallerOnesAlone()
    {
        var parameters = new ParameterSet();
        parameters.Add("a", new Shape(2));
        parameters.Add("b", new Shape(1));
        parameters.Seal();
        float[] gradients = [3f, 0f, 4f]; // norm 5
        gradients.CopyTo(parameters.Gradients, 0);
        GradientGuard.CheckAndClip(parameters, 10f, 1, 1);
        Assert.Equal(gradients, parameters.Gradients);
        GradientGuard.CheckAndClip(parameters, 1f, 1, 1);
        Assert.Equal([0.6f, 0f, 0.8f], parameters.Gradients.Select(g => MathF.Round(g, 6)));
    }

    [Fact]
    public void ClippedTrainingAtAHighLearningRateStaysFinite()
    {
        var trainer = new Trainer(new VaeModel(SmallSpec, new Rng(3)),
            new TrainingOptions { Epochs = 2, BatchSize = 32, LearningRate = 0.05f, Optimizer = OptimizerKind.Sgd, Seed = 4, ClipGradNorm = 1f });
        var history = trainer.Fit(_train, null);
        Assert.All(history, metrics => Assert.True(double.IsFinite(metrics.TrainLoss)));
    }
}

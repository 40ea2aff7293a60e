using VaeSharp.Models;
using VaeSharp.Optim;
using VaeSharp.Tensors;
using VaeSharp.Training;

namespace VaeSharp.Tests.Training;

public class TrainerTests
{
    private static readonly ModelSpec SmallSpec = new() { Name = "small", InputShape = [8, 8], Hidden = [16], Latent = 2 };

    private static (VaeModel Model, IReadOnlyList<EpochMetrics> History) Train(ulong seed, int epochs = 4,
        OptimizerKind optimizer = OptimizerKind.Adam)
    {
        var model = new VaeModel(SmallSpec, new Rng(seed));
        var options = new TrainingOptions { Epochs = epochs, BatchSize = 32, LearningRate = 1e-2f, Seed = seed + 1, Optimizer = optimizer };
        var history = new Trainer(model, options).Fit(SyntheticDigits.Create(512, 1), SyntheticDigits.Create(128, 2));
        return (model, history);
    }

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.RmsProp)]
    [InlineData(OptimizerKind.Sgd)]
    public void LossFallsOnStructuredData(OptimizerKind optimizer)
    {
        var (_, history) = Train(seed: 5, epochs: 6, optimizer);
        Assert.Equal(6, history.Count);
        Assert.True(history[^1].TrainLoss < history[0].TrainLoss - 1, $"train loss {history[0].TrainLoss} → {history[^1].TrainLoss}");
        Assert.True(history[^1].TestNegElbo < history[0].TestNegElbo, $"test -ELBO {history[0].TestNegElbo} → {history[^1].TestNegElbo}");
    }

    [Fact]
    public void SameSeedGivesTheSameWeightsTwice()
    {
        var first = Train(seed: 9).Model.Parameters.Values;
        var second = Train(seed: 9).Model.Parameters.Values;
        Assert.Equal(first, second);
        Assert.NotEqual(first, Train(seed: 10).Model.Parameters.Values);
    }

    [Fact]
    public void EachEpochsEvaluationReusesTheBuffersOfTheLast()
    {
        // A fresh evaluation tape per epoch left its buffers as large-object garbage that the GC let pile up: impute-vaeac
        // grew by about 57 MB an epoch. Once warm, an epoch must allocate less than the evaluation's input batch alone.
        var model = new VaeModel(SmallSpec, new Rng(4));
        var options = new TrainingOptions { Epochs = 3, BatchSize = 32, EvaluationBatchSize = 1000 };
        var allocatedAtEpochEnd = new List<long>();
        new Trainer(model, options).Fit(SyntheticDigits.Create(128, 1), SyntheticDigits.Create(2000, 2),
            epochCompleted: _ => allocatedAtEpochEnd.Add(GC.GetAllocatedBytesForCurrentThread()));
        long evaluationInput = 1000L * 64 * sizeof(float); // x: (1000, 64)
        long lastEpoch = allocatedAtEpochEnd[2] - allocatedAtEpochEnd[1];
        Assert.True(lastEpoch < evaluationInput, $"the third epoch allocated {lastEpoch} bytes");
    }

    [Fact]
    public void MetricsSplitTheLossIntoItsTerms()
    {
        var (_, history) = Train(seed: 3, epochs: 1);
        var metrics = history[0];
        Assert.Equal(metrics.TrainLoss, metrics.TrainReconstruction + metrics.TrainKl, 3);
        Assert.Equal(metrics.TestNegElbo!.Value, metrics.TestReconstruction!.Value + metrics.TestKl!.Value, 3);
        Assert.True(metrics.TrainKl > 0);
    }

    [Fact]
    public void ProgressIsReportedForEveryStep()
    {
        var model = new VaeModel(SmallSpec, new Rng(1));
        var reports = new List<TrainingProgress>();
        new Trainer(model, new TrainingOptions { Epochs = 2, BatchSize = 100 })
            .Fit(SyntheticDigits.Create(250, 1), null, new InlineProgress<TrainingProgress>(reports.Add));
        Assert.Equal(6, reports.Count); // 3 steps (100, 100, 50) × 2 epochs
        Assert.Equal((2, 3, 3), (reports[^1].Epoch, reports[^1].Step, reports[^1].Steps));
    }

    [Fact]
    public void DataOfTheWrongWidthIsRejected()
    {
        var model = new VaeModel(Preset.KerasMlp.Spec, new Rng(1));
        var error = Assert.Throws<ArgumentException>(() => new Trainer(model, new TrainingOptions()).Fit(SyntheticDigits.Create(10, 1), null));
        Assert.Contains("64 features", error.Message);
    }

    [Fact]
    public void ADivergingLossStopsTrainingWithAClearError()
    {
        var model = new VaeModel(SmallSpec, new Rng(1));
        Array.Fill(model.Parameters.Values, float.NaN);
        var error = Assert.Throws<TrainingDivergedException>(() =>
            new Trainer(model, new TrainingOptions { Epochs = 1 }).Fit(SyntheticDigits.Create(64, 1), null));
        Assert.Contains("epoch 1", error.Message);
    }
}

public class VaeModelTrainingTests
{
    [Fact]
    public void FitOnTheModelTrainsItInPlace()
    {
        var model = new VaeModel(new ModelSpec { InputShape = [8, 8], Hidden = [16], Latent = 2 }, new Rng(1));
        var before = model.Parameters.Values.ToArray();
        var history = model.Fit(SyntheticDigits.Create(128, 1), new TrainingOptions { Epochs = 2, BatchSize = 32 },
            validation: SyntheticDigits.Create(32, 2));
        Assert.Equal(2, history.Count);
        Assert.NotNull(history[^1].TestNegElbo);
        Assert.NotEqual(before, model.Parameters.Values);
        var z = Tensor.FromArray([0f, 0f, 1f, -1f], 2, 2);
        var generated = model.Generate(z).ToArray();
        var byHand = DecodeByHand(model, [0f, 0f, 1f, -1f], rows: 2);
        for (int i = 0; i < byHand.Length; i++) Assert.Equal(byHand[i], generated[i], 5);
    }

    /// <summary>
    /// The trained decoder's mean, formed from its named weights (W is (in, out)): sigmoid(relu(z·W1 + b1)·W2 + b2),
    /// so that Generate(z) is checked against the weights training left, not against Decode, its alias.
    /// </summary>
    private static double[] DecodeByHand(VaeModel model, float[] z, int rows)
    {
        var weights = model.Parameters.Entries.ToDictionary(entry => entry.Name, entry => entry.Parameter.Value);
        double[] Layer(double[] x, string name, int inputs, bool relu)
        {
            var (w, b) = (weights[name + ".weight"], weights[name + ".bias"]);
            int outputs = b.Shape.Size;
            var y = new double[rows * outputs];
            for (int r = 0; r < rows; r++)
                for (int o = 0; o < outputs; o++)
                {
                    double sum = b.Span[o];
                    for (int i = 0; i < inputs; i++) sum += x[r * inputs + i] * w.Span[i * outputs + o];
                    y[r * outputs + o] = relu ? Math.Max(0, sum) : sum;
                }
            return y;
        }
        var hidden = Layer([.. z.Select(v => (double)v)], "decoder.dense1", 2, relu: true);
        return [.. Layer(hidden, "decoder.output", 16, relu: false).Select(logit => 1 / (1 + Math.Exp(-logit)))];
    }
}

public class ConvPresetTrainingTests
{
    [Fact]
    public void ConvPresetLossFallsOnDigitShapedData()
    {
        // 28×28 images with a bright bar whose row depends on the label: learnable structure for a conv net.
        var rng = new Rng(2);
        int count = 96;
        var pixels = new byte[count * 784];
        for (int i = 0; i < count; i++)
        {
            int row = 4 + 5 * rng.NextInt(4);
            for (int p = 0; p < 784; p++) pixels[i * 784 + p] = (byte)(p / 28 >= row && p / 28 < row + 3 ? 230 : rng.NextInt(20));
        }
        var data = new VaeSharp.Data.Dataset(pixels, null, count, 28, 28, "bars");
        var trainer = Trainer.ForNewModel(Preset.Conv.Spec, TrainingOptions.FromPreset(Preset.Conv) with { Epochs = 3 });
        var history = trainer.Fit(data, null);
        Assert.True(history[^1].TrainLoss < history[0].TrainLoss - 20, $"{history[0].TrainLoss} → {history[^1].TrainLoss}");
    }
}

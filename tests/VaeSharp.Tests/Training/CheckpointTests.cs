using VaeSharp.IO;
using VaeSharp.Models;
using VaeSharp.Optim;
using VaeSharp.Tensors;
using VaeSharp.Training;

namespace VaeSharp.Tests.Training;

public sealed class CheckpointTests : IDisposable
{
    private static readonly ModelSpec SmallSpec = new() { Name = "small", InputShape = [8, 8], Hidden = [16], Latent = 2 };
    private static readonly Dictionary<string, string> DataSource = new() { ["kind"] = "synthetic" };
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"vaesharp-ckpt-{Guid.NewGuid():N}");
    private readonly VaeSharp.Data.Dataset _train = SyntheticDigits.Create(300, 1), _validation = SyntheticDigits.Create(100, 2);

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private Trainer NewTrainer(int epochs, OptimizerKind optimizer) => new(new VaeModel(SmallSpec, new Rng(3)),
        new TrainingOptions { Epochs = epochs, BatchSize = 64, LearningRate = 5e-3f, Seed = 4, Optimizer = optimizer, KlWarmupEpochs = 3 });

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.RmsProp)]
    [InlineData(OptimizerKind.Sgd)]
    public void FourEpochsThenTwoMoreEqualSixStraight(OptimizerKind optimizer)
    {
        var straight = NewTrainer(6, optimizer);
        straight.Fit(_train, _validation);

        var first = NewTrainer(4, optimizer);
        var run = new RunDirectory(_folder);
        first.Fit(_train, _validation, epochCompleted: _ => Checkpoint.Save(run, first, DataSource));

        var (resumed, dataSource) = Checkpoint.Load(_folder, epochs: 6);
        Assert.Equal(DataSource, dataSource);
        Assert.Equal(4, resumed.EpochsCompleted);
        resumed.Fit(_train, _validation);

        Assert.Equal(straight.Model.Parameters.Values, resumed.Model.Parameters.Values);
        Assert.Equal(straight.History.Select(m => m.TestNegElbo), resumed.History.Select(m => m.TestNegElbo));
        Assert.Equal(straight.Optimizer.StepCount, resumed.Optimizer.StepCount);
    }

    [Fact]
    public void ACheckpointWhoseFilesComeFromDifferentSavesIsRefused()
    {
        var trainer = NewTrainer(2, OptimizerKind.Adam);
        var run = new RunDirectory(_folder);
        trainer.Fit(_train, null, epochCompleted: _ => Checkpoint.Save(run, trainer, DataSource));
        // Replace the named weights with another save's, as a folder mixed by hand would have them.
        string named = "model.step-" + File.ReadAllText(Path.Combine(_folder, Checkpoint.StateFileName)).Split("model.step-")[1].Split('"')[0];
        ModelFile.Save(trainer.Model, Path.Combine(_folder, named), new Dictionary<string, string> { ["vaesharp.step"] = "5" });
        var error = Assert.Throws<SafetensorsFormatException>(() => Checkpoint.Load(_folder));
        Assert.Contains("mixes two different saves", error.Message);
    }

    /// <summary>
    /// A save that fails part-way (here the new optimizer file cannot be renamed into place, as on a full disk) leaves
    /// the previous checkpoint loadable: training.json still names the previous, untouched files.
    /// </summary>
    [Fact]
    public void ASaveThatFailsPartWayLeavesThePreviousCheckpointIntact()
    {
        var trainer = NewTrainer(2, OptimizerKind.Adam);
        var run = new RunDirectory(_folder);
        var failure = Record.Exception(() => trainer.Fit(_train, null, epochCompleted: metrics =>
        {
            // A folder where the next save's optimizer file must go makes its rename fail.
            if (metrics.Epoch == 2) Directory.CreateDirectory(Path.Combine(_folder, $"optimizer.step-{trainer.Optimizer.StepCount}.safetensors"));
            Checkpoint.Save(run, trainer, DataSource);
        }));
        Assert.IsAssignableFrom<IOException>(failure);
        var (resumed, _) = Checkpoint.Load(_folder);
        Assert.Equal(1, resumed.EpochsCompleted);
        Assert.DoesNotContain(Directory.GetFiles(_folder), path => Path.GetFileName(path).Contains(".tmp-"));
    }

    /// <summary>Stopped between two batches and resumed from that checkpoint, a run ends with the same weights.</summary>
    [Fact]
    public void AnInterruptionMidEpochResumesAtTheNextBatchExactly()
    {
        var straight = NewTrainer(2, OptimizerKind.Adam);
        straight.Fit(_train, _validation);

        var first = NewTrainer(2, OptimizerKind.Adam);
        using var stop = new CancellationTokenSource();
        var progress = new InlineProgress<TrainingProgress>(report => { if (report.Epoch == 2 && report.Step == 2) stop.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => first.Fit(_train, _validation, progress, cancellation: stop.Token));
        Checkpoint.Save(new RunDirectory(_folder), first, DataSource);

        var (resumed, _) = Checkpoint.Load(_folder);
        Assert.Equal(2, resumed.CaptureState().InProgress!.StepsDone);
        resumed.Fit(_train, _validation);
        Assert.Equal(straight.Model.Parameters.Values, resumed.Model.Parameters.Values);
        Assert.Equal(straight.History.Select(m => m.TrainLoss), resumed.History.Select(m => m.TrainLoss));
    }

    [Fact]
    public void ACountOfEpochsThatDisagreesWithTheHistoryIsRefused()
    {
        var trainer = NewTrainer(2, OptimizerKind.Adam);
        var run = new RunDirectory(_folder);
        trainer.Fit(_train, _validation, epochCompleted: _ => Checkpoint.Save(run, trainer, DataSource));
        var state = Path.Combine(_folder, Checkpoint.StateFileName);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(state))!;
        json["state"]!["epochs_completed"] = 5;
        File.WriteAllText(state, json.ToJsonString());

        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(_folder));

        Assert.Contains("malformed training.json: state.history holds 2 epochs, but state.epochs_completed says 5", error.Message);
    }

    [Fact]
    public void AFolderWithoutTrainingStateIsNotResumable()
    {
        Directory.CreateDirectory(_folder);
        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(_folder));
        Assert.Contains("training.json", error.Message);
    }

    [Fact]
    public void KlWarmUpRaisesTheWeightLinearly()
    {
        var trainer = NewTrainer(4, OptimizerKind.Adam);
        Assert.Equal([1f / 3, 2f / 3, 1f, 1f], Enumerable.Range(1, 4).Select(trainer.KlWeightAt));
        var history = trainer.Fit(_train, null);
        Assert.Equal(1f / 3, history[0].KlWeight, 6);
    }

    [Fact]
    public void EarlyStoppingEndsARunThatStopsImproving()
    {
        // A learning rate this small cannot improve the validation bound for long; patience 1 must stop it early.
        var trainer = new Trainer(new VaeModel(SmallSpec, new Rng(3)),
            new TrainingOptions { Epochs = 50, BatchSize = 64, LearningRate = 1e-9f, Seed = 4, Patience = 1 });
        var history = trainer.Fit(_train, _validation);
        Assert.True(trainer.StoppedEarly);
        Assert.True(history.Count < 50);
    }
}

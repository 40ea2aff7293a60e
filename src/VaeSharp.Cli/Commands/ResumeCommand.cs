using System.CommandLine;
using VaeSharp.Kernels;
using VaeSharp.Training;

namespace VaeSharp.Cli.Commands;

/// <summary>
/// <c>vae resume</c>: continues a run from its checkpoint — weights, optimizer state, epoch and generator state —
/// so that N epochs then M more give the same weights as N + M straight.
/// </summary>
internal sealed class ResumeCommand
{
    private readonly Option<string> _model = CommonOptions.Model("A run folder holding training.json, the checkpoint to continue");
    private readonly Option<int> _epochs = CommonOptions.IntInRange("--epochs", "Total epochs to reach (default: the run's own)", 1, 100_000);
    private readonly Option<int> _checkpointEvery = CommonOptions.CheckpointEvery();
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();
    private readonly Option<int> _threads = CommonOptions.Threads("the matrix products (default: the run's own --threads, else all cores)");
    private readonly Option<bool> _json = CommonOptions.Json();

    public static Command Create() => new ResumeCommand().Build();

    private Command Build()
    {
        var command = new Command("resume", "Continue an interrupted or finished training run") { _model, _epochs, _checkpointEvery, _dataDir, _threads, _json };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var folder = parse.GetValue(_model)!;
            if (!Directory.Exists(folder))
                throw new UsageException(File.Exists(folder) ? $"resume needs a run folder, not a file ({folder})" : $"no such model folder ({folder})");
            if (!File.Exists(Path.Combine(folder, Checkpoint.StateFileName)))
                throw new UsageException($"the folder holds no {Checkpoint.StateFileName}, so there is nothing to resume ({folder})");
            using var held = CommonOptions.LockFolder(folder, "--model");
            var (trainer, source) = Checkpoint.Load(folder, parse.Given(_epochs));
            if (trainer.StoppedEarly)
                throw new UsageException($"the run stopped early at epoch {trainer.EpochsCompleted}: its validation -ELBO had not improved for --patience {trainer.Options.Patience} epochs; train a new run to go on ({folder})");
            if (trainer.EpochsCompleted >= trainer.Options.Epochs)
                throw new UsageException($"the run has already completed {trainer.EpochsCompleted} epochs; pass a larger --epochs to continue (--epochs)");
            // The run's own thread budget, so that the sums split as they did: a resumed run then has the straight run's bits.
            if ((parse.Given(_threads) ?? trainer.Options.Threads) is int threads) Gemm.SetThreads(threads);
            var data = TrainingData.Load(source, parse.GetValue(_dataDir), Path.GetFullPath(Path.Combine(folder, Checkpoint.StateFileName)));
            TrainCommand.Report(parse.GetValue(_json), TrainCommand.Train(trainer, data, CommonOptions.OutputFolder(folder, "--model"), parse.GetValue(_checkpointEvery)));
            return ExitCodes.Success;
        }));
        return command;
    }
}

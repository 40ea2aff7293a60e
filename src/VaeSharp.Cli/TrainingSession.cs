using VaeSharp.Training;

namespace VaeSharp.Cli;

/// <summary>
/// Runs <see cref="Trainer.Fit"/> for <c>train</c> and <c>resume</c> with the progress display, a checkpoint every N
/// epochs (and after the last), Ctrl-C handling, and error lines that say what was kept.
/// </summary>
internal static class TrainingSession
{
    public static void Run(Trainer trainer, TrainingData data, RunDirectory run, int checkpointEvery)
    {
        using var interrupt = new InterruptSignal();
        try
        {
            TrainingDisplay.Run((progress, epochDone) => trainer.Fit(data.Train, data.Test, progress, metrics =>
            {
                bool last = trainer.EpochsCompleted >= trainer.Options.Epochs || trainer.StoppedEarly;
                if (last || trainer.EpochsCompleted % checkpointEvery == 0) Save(trainer, data, run);
                epochDone(metrics);
            }, interrupt.Token));
        }
        catch (OperationCanceledException) when (interrupt.Token.IsCancellationRequested)
        {
            Save(trainer, data, run);
            var state = trainer.CaptureState();
            string where = state.InProgress is { } partial
                ? $"at epoch {state.EpochsCompleted + 1}, batch {partial.StepsDone}"
                : $"after epoch {state.EpochsCompleted}";
            throw new InterruptedException($"stopped {where}; checkpoint saved, continue with `vae resume --model {run.Path}` ({run.Path})", interrupt.ExitCode);
        }
        catch (TrainingDivergedException e)
        {
            // Nothing was saved after the fault, so the checkpoint on disk (if any) is the last good one.
            string kept = File.Exists(Path.Combine(run.Path, Checkpoint.StateFileName))
                ? $"the last good checkpoint is kept in {run.Path}"
                : "no checkpoint was saved before it";
            throw new TrainingDivergedException(e.Epoch, e.Batch, $"training diverged: {e.Message}; {kept}; try a lower --lr or --clip-grad-norm (--lr)");
        }
    }

    private static void Save(Trainer trainer, TrainingData data, RunDirectory run)
    {
        try
        {
            Checkpoint.Save(run, trainer, data.Source);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"could not save the checkpoint: {e.Message.TrimEnd('.')}; the previous checkpoint is intact ({run.Path})", e);
        }
    }
}

namespace VaeSharp.Training;

/// <summary>
/// How far an interrupted epoch got, so that a checkpoint taken between two batches resumes at the next batch with
/// the same shuffle, the same random draws and the same running sums as an uninterrupted run.
/// </summary>
public sealed record EpochInProgress
{
    /// <summary>The training generator's state before this epoch's shuffle, to rebuild the same order.</summary>
    public ulong[] ShuffleRngState { get; init; } = [];

    /// <summary>Batches of the epoch already trained.</summary>
    public int StepsDone { get; init; }

    /// <summary>Examples seen so far this epoch.</summary>
    public int Seen { get; init; }

    /// <summary>The running sum of per-example loss over the batches done.</summary>
    public double Total { get; init; }

    /// <summary>The running sum of the reconstruction term.</summary>
    public double Reconstruction { get; init; }

    /// <summary>The running sum of the KL term.</summary>
    public double Kl { get; init; }

    /// <summary>Seconds spent in optimizer steps so far this epoch.</summary>
    public double TrainSeconds { get; init; }
}

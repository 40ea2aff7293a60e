namespace VaeSharp.Training;

/// <summary>
/// Everything besides the weights and optimizer buffers that a resumed run needs to continue exactly where it
/// stopped: the epoch count, the generator's state, early-stopping bookkeeping and the metrics so far.
/// </summary>
public sealed record TrainerState
{
    /// <summary>Epochs completed.</summary>
    public int EpochsCompleted { get; init; }

    /// <summary>Optimizer steps taken.</summary>
    public long OptimizerSteps { get; init; }

    /// <summary>The training generator's four state words (shuffling and sampling).</summary>
    public ulong[] RngState { get; init; } = [];

    /// <summary>Best validation −ELBO so far, if any.</summary>
    public double? BestNegElbo { get; init; }

    /// <summary>Epochs since the validation −ELBO last improved.</summary>
    public int EpochsWithoutImprovement { get; init; }

    /// <summary>Whether early stopping ended the run.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>Every completed epoch's metrics.</summary>
    public List<EpochMetrics> History { get; init; } = [];

    /// <summary>The epoch an interruption stopped between two batches; null at an epoch boundary.</summary>
    public EpochInProgress? InProgress { get; init; }
}

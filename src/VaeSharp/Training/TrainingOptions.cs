using VaeSharp.Models;
using VaeSharp.Optim;

namespace VaeSharp.Training;

/// <summary>How to train: epochs, batch size, optimizer and seed.</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>Examples per step; the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>The optimizer's step size.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Which optimizer.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Seeds shuffling and sampling; the model's initial weights take their own seed.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Batch size for evaluating the validation set (no gradients, so it can be larger).</summary>
    public int EvaluationBatchSize { get; init; } = 1000;

    /// <summary>Raise the KL weight linearly from β/N to β over the first N epochs; 0 turns warm-up off.</summary>
    public int KlWarmupEpochs { get; init; }

    /// <summary>Stop when the validation −ELBO has not improved for this many epochs; 0 turns early stopping off.</summary>
    public int Patience { get; init; }

    /// <summary>
    /// When set, gradients whose global L2 norm (over all parameters) exceeds this are scaled down to it before each
    /// step; null leaves them as they are.
    /// </summary>
    public float? ClipGradNorm { get; init; }

    /// <summary>
    /// The thread budget the run trains with (<c>vae train --threads</c>); null for every core. Recorded so that a
    /// resumed run uses the same one: OpenBLAS and the convolutions split their sums by thread. The trainer does not
    /// apply it; the caller passes it to <c>Gemm.SetThreads</c>.
    /// </summary>
    public int? Threads { get; init; }

    /// <summary>The options a preset's source used.</summary>
    public static TrainingOptions FromPreset(Preset preset) => new()
    {
        Epochs = preset.Epochs,
        BatchSize = preset.BatchSize,
        LearningRate = preset.LearningRate,
        Optimizer = preset.Optimizer,
    };

    /// <summary>Checks ranges; the message names the option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "epochs must be at least 1");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "batch size must be at least 1");
        if (EvaluationBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(EvaluationBatchSize), EvaluationBatchSize, "must be at least 1");
        if (KlWarmupEpochs < 0) throw new ArgumentOutOfRangeException(nameof(KlWarmupEpochs), KlWarmupEpochs, "must be at least 0");
        if (Patience < 0) throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "must be at least 0");
        if (Threads < 1) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "must be at least 1");
        if (ClipGradNorm is float clip && (!(clip > 0) || float.IsInfinity(clip)))
            throw new ArgumentOutOfRangeException(nameof(ClipGradNorm), clip, "the gradient norm limit must be positive and finite");
        if (!(LearningRate > 0) || float.IsInfinity(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "learning rate must be positive and finite");
    }
}

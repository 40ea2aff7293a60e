using VaeSharp.Data;
using VaeSharp.Models;

namespace VaeSharp.Training;

/// <summary>scikit-learn-style training on the model itself: <c>model.Fit(train, options)</c>.</summary>
public static class VaeModelTraining
{
    /// <summary>
    /// Trains <paramref name="model"/> in place and returns the per-epoch metrics. For step-by-step control
    /// (<see cref="Trainer.PartialFit"/>) or checkpoints, create a <see cref="Trainer"/> instead: it owns the
    /// optimizer's state between steps.
    /// </summary>
    public static IReadOnlyList<EpochMetrics> Fit(this VaeModel model, Dataset train, TrainingOptions options,
        IProgress<TrainingProgress>? progress = null, Dataset? validation = null) =>
        new Trainer(model, options).Fit(train, validation, progress);
}

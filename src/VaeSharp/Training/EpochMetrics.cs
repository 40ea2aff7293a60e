using System.Text.Json.Serialization;

namespace VaeSharp.Training;

/// <summary>
/// One epoch's results: one line of metrics.jsonl (snake_case keys). The epoch and the three training terms must be
/// there, so that a hand-edited or foreign line is an error, not a curve through zero.
/// </summary>
public sealed record EpochMetrics
{
    /// <summary>The epoch, from 1.</summary>
    [JsonPropertyName("epoch"), JsonRequired] public int Epoch { get; init; }

    /// <summary>The KL weight β used this epoch (after warm-up).</summary>
    [JsonPropertyName("kl_weight")] public float KlWeight { get; init; }

    /// <summary>Mean total training loss (reconstruction + β·KL) per example.</summary>
    [JsonPropertyName("train_loss"), JsonRequired] public double TrainLoss { get; init; }

    /// <summary>Mean training reconstruction term per example.</summary>
    [JsonPropertyName("train_reconstruction"), JsonRequired] public double TrainReconstruction { get; init; }

    /// <summary>Mean training KL term per example.</summary>
    [JsonPropertyName("train_kl"), JsonRequired] public double TrainKl { get; init; }

    /// <summary>Validation −ELBO per example (β = 1), or null without a validation set.</summary>
    [JsonPropertyName("test_neg_elbo")] public double? TestNegElbo { get; init; }

    /// <summary>Validation reconstruction term per example.</summary>
    [JsonPropertyName("test_reconstruction")] public double? TestReconstruction { get; init; }

    /// <summary>Validation KL term per example.</summary>
    [JsonPropertyName("test_kl")] public double? TestKl { get; init; }

    /// <summary>Wall time of the training steps alone, in seconds.</summary>
    [JsonPropertyName("train_seconds")] public double TrainSeconds { get; init; }

    /// <summary>Training examples per second over this epoch's steps.</summary>
    [JsonPropertyName("train_samples_per_s")] public double TrainSamplesPerSecond { get; init; }
}

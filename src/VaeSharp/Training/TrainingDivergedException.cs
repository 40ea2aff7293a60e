namespace VaeSharp.Training;

/// <summary>
/// Training produced a non-finite loss or gradient. The message names the epoch, the batch and the tensor that went
/// bad; the step was not taken, so the model holds the weights of the last good step.
/// </summary>
public sealed class TrainingDivergedException(int epoch, int batch, string message) : Exception(message)
{
    /// <summary>The epoch (from 1) in which the fault happened.</summary>
    public int Epoch { get; } = epoch;

    /// <summary>The batch of that epoch (from 1).</summary>
    public int Batch { get; } = batch;
}

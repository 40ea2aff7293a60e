namespace VaeSharp.Training;

/// <summary>A report from inside training, after each step: enough for a progress bar with live losses.</summary>
/// <param name="Epoch">The current epoch, from 1.</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="Step">Steps done in this epoch.</param>
/// <param name="Steps">Steps in an epoch.</param>
/// <param name="Loss">Running mean of the total loss this epoch.</param>
/// <param name="Reconstruction">Running mean of the reconstruction term.</param>
/// <param name="Kl">Running mean of the KL term.</param>
public readonly record struct TrainingProgress(int Epoch, int Epochs, int Step, int Steps, double Loss, double Reconstruction, double Kl);

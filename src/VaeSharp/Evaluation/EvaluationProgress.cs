namespace VaeSharp.Evaluation;

/// <summary>Where <see cref="EvaluationReport.Evaluate"/> is: the score it is computing, and <paramref name="Done"/> of its <paramref name="Total"/> steps (test images for the bounds, one for the latent 5-NN).</summary>
public readonly record struct EvaluationProgress(string Stage, int Done, int Total);

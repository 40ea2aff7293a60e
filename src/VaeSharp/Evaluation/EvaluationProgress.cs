namespace VaeSharp.Evaluation;

/// <summary>Where <see cref="EvaluationReport.Evaluate"/> is: the score it is computing, and <paramref name="Done"/> of <paramref name="Total"/> test images.</summary>
public readonly record struct EvaluationProgress(string Stage, int Done, int Total);

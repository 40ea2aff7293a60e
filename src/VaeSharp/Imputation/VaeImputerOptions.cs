namespace VaeSharp.Imputation;

/// <summary>How <see cref="VaeImputer"/> trains its masked MLP and draws its imputations.</summary>
public sealed record VaeImputerOptions
{
    /// <summary>Passes over the rows.</summary>
    public int Epochs { get; init; } = 200;

    /// <summary>Rows per step.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Adam's step size.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Seeds the weights, the shuffling and the draws.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Draws K: 1 imputes the decoder's mean at the posterior mean; more average K posterior draws.</summary>
    public int Samples { get; init; } = 1;

    /// <summary>Pseudo-Gibbs refinements per draw when <see cref="Samples"/> is more than 1.</summary>
    public int Iterations { get; init; }

    /// <summary>
    /// Column ranges (start, count) that one-hot encode a categorical variable, as <see cref="TableEncoding.Blocks"/>:
    /// they are left unstandardized and get a softmax head and the cross-entropy. None by default.
    /// </summary>
    public IReadOnlyList<(int Start, int Count)> CategoricalBlocks { get; init; } = [];
}

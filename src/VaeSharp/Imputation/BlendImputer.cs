namespace VaeSharp.Imputation;

/// <summary>
/// An ensemble of families: each missing entry is the weighted sum of what the imputers say, the weights summing to 1
/// (½ and ½ for auto's pairs, fitted on the held-out check for its stack).
/// </summary>
public sealed class BlendImputer : IImputer
{
    private readonly IReadOnlyList<(IImputer Imputer, double Weight)> _parts;

    /// <summary>Blends <paramref name="parts"/>: two or more imputers with positive weights that sum to 1.</summary>
    public BlendImputer(IReadOnlyList<(IImputer Imputer, double Weight)> parts)
    {
        if (parts.Count < 2) throw new ArgumentException("a blend needs two imputers or more", nameof(parts));
        if (parts.Any(part => !(part.Weight > 0)) || Math.Abs(parts.Sum(part => part.Weight) - 1) > 1e-9)
            throw new ArgumentException("the weights must be positive and sum to 1", nameof(parts));
        _parts = parts;
    }

    /// <inheritdoc />
    public string Name => string.Join('+', _parts.Select(part => part.Imputer.Name));

    /// <inheritdoc />
    public IImputer Fit(MissingData reference)
    {
        foreach (var (imputer, _) in _parts) imputer.Fit(reference);
        return this;
    }

    /// <inheritdoc />
    public float[] Transform(MissingData data) => Blend([.. _parts.Select(part => part.Imputer.Transform(data))], [.. _parts.Select(part => part.Weight)]);

    /// <summary>The entrywise weighted sum of completions of the same shape.</summary>
    public static float[] Blend(IReadOnlyList<float[]> completions, IReadOnlyList<double> weights)
    {
        if (completions.Any(completion => completion.Length != completions[0].Length))
            throw new ArgumentException($"completions of {string.Join(", ", completions.Select(completion => completion.Length))} entries");
        var result = new float[completions[0].Length];
        for (int m = 0; m < completions.Count; m++)
        {
            float weight = (float)weights[m];
            var completion = completions[m];
            for (int i = 0; i < result.Length; i++) result[i] += weight * completion[i];
        }
        return result;
    }
}

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
    /// <remarks>
    /// Each part's completion is added in before the next is made, so that a long table holds two completions at a time,
    /// not one per part. Observed entries are then put back: a weighted sum of equal values can be a unit in the last
    /// place off (13.2 · 0.9 + 13.2 · 0.1).
    /// </remarks>
    public float[] Transform(MissingData data)
    {
        var result = new float[data.Values.Length]; // (Rows, Cols)
        foreach (var (imputer, weight) in _parts) Add(result, imputer.Transform(data), weight);
        data.RestoreObserved(result);
        return result;
    }

    /// <summary>The entrywise weighted sum of completions of the same shape.</summary>
    public static float[] Blend(IReadOnlyList<float[]> completions, IReadOnlyList<double> weights)
    {
        var result = new float[completions[0].Length];
        for (int m = 0; m < completions.Count; m++) Add(result, completions[m], weights[m]);
        return result;
    }

    /// <summary>Adds <paramref name="weight"/> · <paramref name="completion"/> into <paramref name="sum"/>, entry by entry.</summary>
    private static void Add(float[] sum, float[] completion, double weight)
    {
        if (completion.Length != sum.Length) throw new ArgumentException($"a completion of {completion.Length} entries for {sum.Length}");
        float w = (float)weight;
        for (int i = 0; i < sum.Length; i++) sum[i] += w * completion[i];
    }
}

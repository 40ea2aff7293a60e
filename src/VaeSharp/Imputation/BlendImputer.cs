namespace VaeSharp.Imputation;

/// <summary>
/// An ensemble of families: each missing entry is the weighted sum of what the imputers say, the weights summing to 1
/// (½ and ½ for auto's pairs, fitted on the held-out check for its stack). The categorical blocks may have weights of
/// their own, when auto gives the categories another choice than the numbers; each imputer is still fitted and run once.
/// </summary>
public sealed class BlendImputer : IImputer
{
    private readonly IReadOnlyList<(IImputer Imputer, double Weight, double CategoryWeight)> _parts;
    private readonly IReadOnlyList<(int Start, int Count)> _blocks;

    /// <summary>Blends <paramref name="parts"/>: two or more imputers with positive weights that sum to 1.</summary>
    public BlendImputer(IReadOnlyList<(IImputer Imputer, double Weight)> parts)
        : this([.. parts.Select(part => (part.Imputer, part.Weight, part.Weight))], [])
    {
    }

    /// <summary>
    /// Blends <paramref name="parts"/> with one weight on the numeric columns and another on the categorical
    /// <paramref name="blocks"/>: two or more imputers, each kind's weights at least 0 and summing to 1, every imputer
    /// weighing something in one kind or the other.
    /// </summary>
    public BlendImputer(IReadOnlyList<(IImputer Imputer, double Weight, double CategoryWeight)> parts, IReadOnlyList<(int Start, int Count)> blocks)
    {
        if (parts.Count < 2) throw new ArgumentException("a blend needs two imputers or more", nameof(parts));
        static bool SumsToOne(IEnumerable<double> weights) => weights.All(weight => weight >= 0) && Math.Abs(weights.Sum() - 1) <= 1e-9;
        if (!SumsToOne(parts.Select(part => part.Weight)) || !SumsToOne(parts.Select(part => part.CategoryWeight))
            || parts.Any(part => part.Weight == 0 && part.CategoryWeight == 0))
            throw new ArgumentException("each kind's weights must be at least 0 and sum to 1, and every imputer must weigh something", nameof(parts));
        (_parts, _blocks) = (parts, blocks);
    }

    /// <inheritdoc />
    public string Name => _blocks.Count == 0 || _parts.All(part => part.Weight == part.CategoryWeight)
        ? NameOf(part => part.Weight)
        : $"{NameOf(part => part.Weight)}, categories {NameOf(part => part.CategoryWeight)}";

    /// <summary>The parts that weigh something under <paramref name="weight"/>, joined by "+".</summary>
    private string NameOf(Func<(IImputer Imputer, double Weight, double CategoryWeight), double> weight) =>
        string.Join('+', _parts.Where(part => weight(part) > 0).Select(part => part.Imputer.Name));

    /// <inheritdoc />
    public IImputer Fit(MissingData reference)
    {
        foreach (var (imputer, _, _) in _parts) imputer.Fit(reference);
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
        foreach (var (imputer, weight, categoryWeight) in _parts)
        {
            var columnWeights = new float[data.Cols]; // (Cols): the part's weight on each column
            Array.Fill(columnWeights, (float)weight);
            foreach (var (start, count) in _blocks) columnWeights.AsSpan(start, count).Fill((float)categoryWeight);
            Add(result, imputer.Transform(data), columnWeights);
        }
        data.RestoreObserved(result);
        return result;
    }

    /// <summary>The entrywise weighted sum of completions of the same shape.</summary>
    public static float[] Blend(IReadOnlyList<float[]> completions, IReadOnlyList<double> weights)
    {
        var result = new float[completions[0].Length];
        for (int m = 0; m < completions.Count; m++) Add(result, completions[m], [(float)weights[m]]);
        return result;
    }

    /// <summary>
    /// Adds <paramref name="completion"/> into <paramref name="sum"/>, entry by entry, each times its column's weight
    /// (rows of as many entries as <paramref name="columnWeights"/>: one weight weighs every entry alike). A column of
    /// weight 0 is left out, so that what a part says there (NaN, even) never reaches the sum.
    /// </summary>
    private static void Add(float[] sum, float[] completion, float[] columnWeights)
    {
        if (completion.Length != sum.Length) throw new ArgumentException($"a completion of {completion.Length} entries for {sum.Length}");
        int cols = columnWeights.Length;
        for (int row = 0; row < sum.Length; row += cols)
            for (int col = 0; col < cols; col++)
                if (columnWeights[col] is var weight and not 0) sum[row + col] += weight * completion[row + col];
    }
}

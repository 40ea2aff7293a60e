namespace VaeSharp.Imputation;

/// <summary>
/// Two imputers, one per kind of column: one fills the numeric columns, the other the categorical blocks (each one-hot
/// block whole), so that auto can give each kind the method that scored best on it.
/// </summary>
public sealed class KindSplitImputer : IImputer
{
    private readonly IImputer _numbers, _categories;
    private readonly IReadOnlyList<(int Start, int Count)> _blocks;

    /// <summary>Fills the <paramref name="blocks"/> with <paramref name="categories"/>' imputation and every other column with <paramref name="numbers"/>'.</summary>
    public KindSplitImputer(IImputer numbers, IImputer categories, IReadOnlyList<(int Start, int Count)> blocks)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        ArgumentNullException.ThrowIfNull(categories);
        if (blocks is not { Count: > 0 }) throw new ArgumentException("a split needs at least one categorical block", nameof(blocks));
        (_numbers, _categories, _blocks) = (numbers, categories, blocks);
    }

    /// <inheritdoc />
    public string Name => $"{_numbers.Name}, categories {_categories.Name}";

    /// <inheritdoc />
    public IImputer Fit(MissingData reference)
    {
        _numbers.Fit(reference);
        _categories.Fit(reference);
        return this;
    }

    /// <inheritdoc />
    public float[] Transform(MissingData data)
    {
        var result = _numbers.Transform(data); // (Rows, Cols)
        var categorical = _categories.Transform(data); // (Rows, Cols): only its blocks are kept
        for (int row = 0; row < data.Rows; row++)
            foreach (var (start, count) in _blocks)
                categorical.AsSpan(row * data.Cols + start, count).CopyTo(result.AsSpan(row * data.Cols + start, count));
        return result;
    }
}

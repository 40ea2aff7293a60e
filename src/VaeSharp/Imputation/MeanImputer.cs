namespace VaeSharp.Imputation;

/// <summary>The simplest baseline: each missing entry becomes the mean of its column's observed reference values.</summary>
public sealed class MeanImputer : IImputer
{
    private float[]? _means;

    /// <inheritdoc />
    public string Name => "mean";

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A column has no observed value.</exception>
    public IImputer Fit(MissingData reference)
    {
        var means = reference.ObservedMeans();
        int empty = Array.FindIndex(means, double.IsNaN);
        if (empty >= 0) throw new ArgumentException($"column {empty} has no observed value to take a mean of");
        _means = [.. means.Select(mean => (float)mean)];
        return this;
    }

    /// <summary>The fitted column means: (Cols).</summary>
    public IReadOnlyList<float> Means => _means ?? throw new InvalidOperationException("call Fit first");

    /// <inheritdoc />
    public float[] Transform(MissingData data)
    {
        var means = _means ?? throw new InvalidOperationException("call Fit first");
        if (data.Cols != means.Length) throw new ArgumentException($"fitted on {means.Length} columns, given {data.Cols}");
        var result = (float[])data.Values.Clone();
        for (int i = 0; i < result.Length; i++) if (data.Mask[i] == 0) result[i] = means[i % data.Cols];
        return result;
    }
}

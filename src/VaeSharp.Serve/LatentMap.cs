using VaeSharp.Plotting;
using VaeSharp.Tensors;

namespace VaeSharp.Serve;

/// <summary>
/// The page's 2-D view of latent space and the way back: a point z maps to (x, y) = ((z − mean)·c₀, (z − mean)·c₁),
/// and a map position with slider values s decodes from z = mean + x·c₀ + y·c₁ + Σ sᵢ·cᵢ₊₂. For latent 1 or 2 the
/// basis is the identity; for latent 3 or more it is the principal components of the test set's latent means.
/// </summary>
public sealed class LatentMap
{
    /// <summary>Directions beyond the two map axes that the page offers sliders for, at most.</summary>
    public const int MaxSliders = 14;

    private readonly float[] _mean;
    private readonly float[][] _components;
    private readonly float[] _scales;

    private LatentMap(string projection, float[] mean, float[][] components, float[] scales, float[] points, byte[]? labels)
    {
        Projection = projection;
        (_mean, _components, _scales) = (mean, components, scales);
        Points = points;
        Labels = labels;
    }

    /// <summary>"identity" when the map axes are z[0] and z[1], "pca" when they are the two leading principal components.</summary>
    public string Projection { get; }

    /// <summary>The origin of the basis: (latent).</summary>
    public IReadOnlyList<float> Mean => _mean;

    /// <summary>The basis directions, map axes first, then the slider directions: each (latent), unit length.</summary>
    public IReadOnlyList<float[]> Components => _components;

    /// <summary>The spread of the points along each component (its standard deviation; 1, the prior's, without points).</summary>
    public IReadOnlyList<float> Scales => _scales;

    /// <summary>The map positions of the points: (count, 2) row-major.</summary>
    public float[] Points { get; }

    /// <summary>The digit of each point, when the data has labels.</summary>
    public byte[]? Labels { get; }

    /// <summary>Points on the map.</summary>
    public int Count => Points.Length / 2;

    /// <summary>Builds the map of <paramref name="means"/> (count, latent): PCA from latent 3 with two points or more, else the identity.</summary>
    /// <param name="means">The latent means of the points.</param>
    /// <param name="labels">One digit per point, or null.</param>
    public static LatentMap Create(Tensor means, byte[]? labels)
    {
        ArgumentNullException.ThrowIfNull(means);
        int count = means.Shape.Rows, latent = means.Shape.Cols;
        if (labels is not null && labels.Length != count) throw new ArgumentException($"{labels.Length} labels for {count} points", nameof(labels));
        if (latent < 3 || count < 2) return Identity(latent).WithPoints(means, labels);
        var pca = Pca.Fit(means, Directions(latent));
        var map = new LatentMap("pca", [.. pca.Mean.Select(value => (float)value)],
            [.. pca.Components.Select(component => component.Select(value => (float)value).ToArray())],
            [.. pca.Variances.Select(variance => (float)Math.Sqrt(Math.Max(variance, 0)))], [], null);
        return map.WithPoints(means, labels);
    }

    /// <summary>The map with no points: the axes are z[0] and z[1], the sliders the next dimensions, each of the prior's scale 1.</summary>
    public static LatentMap Identity(int latent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latent, 1);
        int directions = Directions(latent);
        var axes = new float[directions][];
        for (int d = 0; d < directions; d++) (axes[d] = new float[latent])[d] = 1f;
        return new LatentMap("identity", new float[latent], axes, [.. Enumerable.Repeat(1f, directions)], [], null);
    }

    private static int Directions(int latent) => Math.Min(latent, 2 + MaxSliders);

    private LatentMap WithPoints(Tensor means, byte[]? labels)
    {
        var points = new float[2 * means.Shape.Rows]; // (count, 2)
        for (int i = 0; i < means.Shape.Rows; i++) Project(means.Row(i), points.AsSpan(2 * i, 2));
        return new LatentMap(Projection, _mean, _components, _scales, points, labels);
    }

    /// <summary>Writes the map position of <paramref name="z"/> (latent) into <paramref name="destination"/> (2); y is 0 for latent 1.</summary>
    public void Project(ReadOnlySpan<float> z, Span<float> destination)
    {
        if (z.Length != _mean.Length) throw new ArgumentException($"z has {z.Length} values, the latent space {_mean.Length}", nameof(z));
        for (int axis = 0; axis < 2; axis++)
        {
            if (axis >= _components.Length)
            {
                destination[axis] = 0f;
                continue;
            }
            var component = _components[axis];
            double sum = 0;
            for (int d = 0; d < z.Length; d++) sum += (z[d] - _mean[d]) * component[d];
            destination[axis] = (float)sum;
        }
    }
}

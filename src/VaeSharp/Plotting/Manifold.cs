using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Plotting;

/// <summary>
/// Decodes a square lattice of latent points into a grid of digits, like the Keras example's manifold. Two latent
/// dimensions vary across the lattice and the others stay 0. The lattice's coordinates along each side come from
/// <see cref="LinearAxis"/> or <see cref="GaussianAxis"/>.
/// </summary>
public static class Manifold
{
    /// <summary>
    /// Decodes a <paramref name="grid"/>×<paramref name="grid"/> lattice over [−range, range]² in latent dimensions
    /// 0 and 1 (the others stay 0). Row 0 holds the largest z[1], so the picture reads like a plot with the y axis
    /// pointing up. Returns the decoded images: (grid·grid, features), row-major over the grid.
    /// </summary>
    public static Tensor Decode(VaeModel model, int grid, float range) => Decode(model, LinearAxis(grid, range));

    /// <summary>
    /// Decodes the lattice <paramref name="axis"/>×<paramref name="axis"/>: column c sets z[<paramref name="dimX"/>] to
    /// axis[c], and row r sets z[<paramref name="dimY"/>] to axis[grid − 1 − r], so larger values are higher up (with one
    /// latent dimension, only dimX varies). Returns the decoded images: (grid·grid, features), row-major over the grid.
    /// </summary>
    /// <param name="model">The decoder.</param>
    /// <param name="axis">The coordinates along each side, ascending.</param>
    /// <param name="dimX">The latent dimension that varies across.</param>
    /// <param name="dimY">The latent dimension that varies down; it must differ from dimX when the latent has two or more.</param>
    public static Tensor Decode(VaeModel model, ReadOnlySpan<float> axis, int dimX = 0, int dimY = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (axis.IsEmpty) throw new ArgumentException("the lattice needs at least one coordinate", nameof(axis));
        CheckDims(model.LatentSize, dimX, dimY);
        int grid = axis.Length;
        var z = new Tensor(new Shape(grid * grid, model.LatentSize)); // z: (grid², latent)
        for (int row = 0; row < grid; row++)
            for (int col = 0; col < grid; col++)
            {
                var point = z.Row(row * grid + col);
                point[dimX] = axis[col];
                if (model.LatentSize > 1) point[dimY] = axis[grid - 1 - row];
            }
        return model.Decode(z);
    }

    /// <summary><paramref name="grid"/> evenly spaced values from −range to range (a single 0 for a grid of one).</summary>
    public static float[] LinearAxis(int grid, float range)
    {
        if (grid < 1) throw new ArgumentOutOfRangeException(nameof(grid), grid, "grid must be at least 1");
        if (!(range > 0) || float.IsInfinity(range)) throw new ArgumentOutOfRangeException(nameof(range), range, "range must be positive");
        return [.. Enumerable.Range(0, grid).Select(index => grid == 1 ? 0f : -range + 2 * range * index / (grid - 1))];
    }

    /// <summary>
    /// The standard normal quantiles of linspace(0.05, 0.95, grid), as in the Keras book's manifold: denser near 0,
    /// where the prior puts most of its mass, and never out to the improbable tails.
    /// </summary>
    public static float[] GaussianAxis(int grid)
    {
        if (grid < 1) throw new ArgumentOutOfRangeException(nameof(grid), grid, "grid must be at least 1");
        return [.. Enumerable.Range(0, grid).Select(index =>
            (float)NormalQuantile.Inverse(grid == 1 ? 0.5 : 0.05 + 0.9 * index / (grid - 1)))];
    }

    /// <summary>Writes the bare manifold, no axes, as a grayscale PNG of (height·grid)×(width·grid) pixels.</summary>
    public static void WritePng(Stream destination, VaeModel model, int grid, float range, int imageHeight, int imageWidth)
    {
        var images = Decode(model, grid, range);
        ImageGrid.WriteGridPng(destination, images.Span, grid * grid, grid, grid, imageHeight, imageWidth);
    }

    internal static void CheckDims(int latent, int dimX, int dimY)
    {
        if (dimX < 0 || dimX >= latent) throw new ArgumentOutOfRangeException(nameof(dimX), dimX, $"the latent has dimensions 0..{latent - 1}");
        if (latent == 1) return;
        if (dimY < 0 || dimY >= latent) throw new ArgumentOutOfRangeException(nameof(dimY), dimY, $"the latent has dimensions 0..{latent - 1}");
        if (dimX == dimY) throw new ArgumentException($"the two varying dimensions must differ, not both {dimX}", nameof(dimY));
    }
}

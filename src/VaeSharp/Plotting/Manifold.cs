using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Plotting;

/// <summary>Decodes a regular lattice of latent points into a grid of digits, like the Keras example's manifold.</summary>
public static class Manifold
{
    /// <summary>
    /// Decodes a <paramref name="grid"/>×<paramref name="grid"/> lattice over [−range, range]² in latent
    /// dimensions 0 and 1 (the others stay 0). Row 0 holds the largest z[1], so the picture reads like a plot
    /// with the y axis pointing up. Returns the decoded images: (grid·grid, features), row-major over the grid.
    /// </summary>
    public static Tensor Decode(VaeModel model, int grid, float range)
    {
        if (grid < 1) throw new ArgumentOutOfRangeException(nameof(grid), grid, "grid must be at least 1");
        if (!(range > 0) || float.IsInfinity(range)) throw new ArgumentOutOfRangeException(nameof(range), range, "range must be positive");
        var z = new Tensor(new Shape(grid * grid, model.LatentSize)); // z: (grid², latent)
        for (int row = 0; row < grid; row++)
            for (int col = 0; col < grid; col++)
            {
                var point = z.Row(row * grid + col);
                point[0] = Lerp(-range, range, col, grid);
                if (model.LatentSize > 1) point[1] = Lerp(range, -range, row, grid);
            }
        return model.Decode(z);
    }

    /// <summary>Writes the manifold as a grayscale PNG of (height·grid)×(width·grid) pixels.</summary>
    public static void WritePng(Stream destination, VaeModel model, int grid, float range, int imageHeight, int imageWidth)
    {
        var images = Decode(model, grid, range);
        ImageGrid.WriteGridPng(destination, images.Span, grid * grid, grid, grid, imageHeight, imageWidth);
    }

    private static float Lerp(float from, float to, int index, int count) =>
        count == 1 ? 0f : from + (to - from) * index / (count - 1);
}

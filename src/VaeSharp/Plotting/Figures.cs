using VaeSharp.Data;
using VaeSharp.Evaluation;
using VaeSharp.Models;
using VaeSharp.Tensors;
using VaeSharp.Training;

namespace VaeSharp.Plotting;

/// <summary>
/// Every figure a verb draws, as PNG bytes, so the verbs, <c>vae demo</c> and the HTML report share one drawing of each.
/// </summary>
public static class Figures
{
    /// <summary>The scatter of the latent means of the first <paramref name="max"/> examples of <paramref name="data"/>, coloured by digit.</summary>
    public static byte[] Latent(VaeModel model, Dataset data, int max, bool labelsAsText = false)
    {
        var (means, labels) = LatentMeans.Encode(model, data, max);
        return LatentPlot.Draw(means, labels, labelsAsText).ToPng();
    }

    /// <summary>The manifold with its axes over latent dimensions dimX, dimY: Gaussian quantiles when <paramref name="gaussian"/>, else a linear grid over [−range, range].</summary>
    public static byte[] Manifold(VaeModel model, int grid, float range, bool gaussian, int dimX, int dimY, int scale)
    {
        var axis = gaussian ? Plotting.Manifold.GaussianAxis(grid) : Plotting.Manifold.LinearAxis(grid, range);
        var (height, width) = ImageShape(model);
        string title = ManifoldFigure.Title(model.LatentSize, dimX, dimY, gaussian, range);
        return ManifoldFigure.Draw(model, axis, dimX, dimY, height, width, scale, title).ToPng();
    }

    /// <summary>The bare manifold grid, no axes: a grayscale PNG of the decoded lattice alone.</summary>
    public static byte[] PlainManifold(VaeModel model, int grid, float range, bool gaussian, int dimX, int dimY, int scale)
    {
        var axis = gaussian ? Plotting.Manifold.GaussianAxis(grid) : Plotting.Manifold.LinearAxis(grid, range);
        var (height, width) = ImageShape(model);
        var images = Plotting.Manifold.Decode(model, axis, dimX, dimY);
        return GridPng(images.Span, grid * grid, grid, grid, height, width, scale);
    }

    /// <summary><paramref name="count"/> decodings of draws from the prior N(0, I), in a near-square grid.</summary>
    public static byte[] Generate(VaeModel model, int count, ulong seed, int scale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var samples = model.Generate(count, new Rng(seed));
        int cols = (int)Math.Ceiling(Math.Sqrt(count)), rows = (count + cols - 1) / cols;
        var (height, width) = ImageShape(model);
        return GridPng(samples.Span, count, rows, cols, height, width, scale);
    }

    /// <summary>The first <paramref name="count"/> examples of <paramref name="data"/> above their reconstructions (decoded means).</summary>
    public static byte[] Reconstruct(VaeModel model, Dataset data, int count, int scale)
    {
        count = Math.Min(count, data.Count);
        if (count < 1) throw new ArgumentException("there are no examples to reconstruct", nameof(data));
        var inputs = new Tensor(new Shape(count, data.Features)); // inputs: (count, features)
        data.CopyBatch([.. Enumerable.Range(0, count)], inputs.Span);
        var reconstructions = model.Reconstruct(inputs);
        var (height, width) = ImageShape(model);
        var (gridWidth, gridHeight) = ReconstructionGrid.Size(count, height, width, scale);
        using var png = new MemoryStream();
        Png.WriteGray(png, gridWidth, gridHeight, ReconstructionGrid.Tile(inputs.Span, reconstructions.Span, count, height, width, scale));
        return png.ToArray();
    }

    /// <summary>The training and validation losses per epoch: total, reconstruction and KL in three panels.</summary>
    public static byte[] Curves(IReadOnlyList<EpochMetrics> history) => TrainingCurves.Draw(history).ToPng();

    /// <summary>The (height, width) of one input as an image: the spec's shape when it is 2-D, else one row.</summary>
    public static (int Height, int Width) ImageShape(VaeModel model) =>
        model.Spec.InputShape.Length == 2 ? (model.Spec.InputShape[0], model.Spec.InputShape[1]) : (1, model.InputSize);

    private static byte[] GridPng(ReadOnlySpan<float> images, int count, int rows, int cols, int height, int width, int scale)
    {
        using var png = new MemoryStream();
        ImageGrid.WriteGridPng(png, images, count, rows, cols, height, width, scale);
        return png.ToArray();
    }
}

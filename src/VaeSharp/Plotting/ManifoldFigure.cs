using System.Globalization;
using VaeSharp.Models;

namespace VaeSharp.Plotting;

/// <summary>
/// The manifold as a figure: the decoded digit grid with a frame, the z value of every few cells as tick labels on
/// both axes, the axis titles and a title. <see cref="Manifold.WritePng"/> still writes the bare grid.
/// </summary>
public static class ManifoldFigure
{
    private const int Scale = Axes.TextScale;
    private const int TickLength = 6;
    private const int Gap = 6;
    private const int MarginRight = 40;

    /// <summary>Decodes the lattice <paramref name="axis"/>² over latent dimensions dimX, dimY and draws it with its axes.</summary>
    /// <param name="model">The decoder.</param>
    /// <param name="axis">The coordinates along each side, ascending.</param>
    /// <param name="dimX">The latent dimension that varies across.</param>
    /// <param name="dimY">The latent dimension that varies upwards.</param>
    /// <param name="imageHeight">Rows of one decoded image.</param>
    /// <param name="imageWidth">Columns of one decoded image.</param>
    /// <param name="scale">Nearest-neighbour enlargement of the digits.</param>
    /// <param name="title">The heading.</param>
    public static Canvas Draw(VaeModel model, float[] axis, int dimX, int dimY, int imageHeight, int imageWidth, int scale, string title)
    {
        var images = Manifold.Decode(model, axis, dimX, dimY);
        int grid = axis.Length;
        var (gridWidth, gridHeight) = ImageGrid.GridSize(grid, grid, imageHeight, imageWidth, scale);
        byte[] pixels = ImageGrid.Tile(images.Span, grid * grid, grid, grid, imageHeight, imageWidth, scale);

        string[] labels = [.. axis.Select(value => Ticks.Format(value, 0.01))];
        int widestLabel = labels.Max(label => BitmapFont.MeasureWidth(label, Scale));
        int labelHeight = BitmapFont.CapHeight * Scale;
        int left = BitmapFont.GlyphHeight * Scale + 2 * Gap + widestLabel + Gap + TickLength + 8;
        int width = Math.Max(left + gridWidth + MarginRight, BitmapFont.MeasureWidth(title, Scale) + 2 * MarginRight);
        // A title wider than the grid widens the canvas; keep the axes and grid in its middle.
        int shift = (width - (left + gridWidth + MarginRight)) / 2;
        left += shift;
        int height = Axes.MarginTop + gridHeight + Axes.MarginBottom;
        var canvas = new Canvas(width, height, Palette.Background);
        int top = Axes.MarginTop;
        canvas.DrawGray(left, top, gridWidth, gridHeight, pixels);
        canvas.DrawRect(left - 1, top - 1, gridWidth + 2, gridHeight + 2, Palette.Ink);

        double cellWidth = (double)gridWidth / grid, cellHeight = (double)gridHeight / grid;
        // Label every stride-th cell, so neighbouring labels keep two characters of space across and a label's height down.
        int strideX = (int)Math.Ceiling((widestLabel + 2 * BitmapFont.Advance * Scale) / cellWidth);
        int strideY = (int)Math.Ceiling(3.0 * labelHeight / cellHeight);
        for (int col = 0; col < grid; col += strideX)
        {
            int x = left + (int)(cellWidth * (col + 0.5));
            canvas.FillRect(x, top + gridHeight + 1, 1, TickLength, Palette.Ink);
            canvas.DrawText(x - BitmapFont.MeasureWidth(labels[col], Scale) / 2, top + gridHeight + 1 + TickLength + Gap, labels[col], Palette.Ink, Scale);
        }
        for (int row = 0; row < grid; row += strideY)
        {
            int y = top + (int)(cellHeight * (row + 0.5));
            string label = labels[grid - 1 - row];
            canvas.FillRect(left - 1 - TickLength, y, TickLength, 1, Palette.Ink);
            canvas.DrawText(left - 1 - TickLength - Gap - BitmapFont.MeasureWidth(label, Scale), y - labelHeight / 2, label, Palette.Ink, Scale);
        }

        string xTitle = $"z[{dimX}]", yTitle = model.LatentSize > 1 ? $"z[{dimY}]" : "";
        canvas.DrawText(left + (gridWidth - BitmapFont.MeasureWidth(xTitle, Scale)) / 2, top + gridHeight + TickLength + 2 * Gap + labelHeight + 3 * Gap, xTitle, Palette.Ink, Scale);
        canvas.DrawTextUpwards(shift + Gap, top + (gridHeight - BitmapFont.MeasureWidth(yTitle, Scale)) / 2, yTitle, Palette.Ink, Scale);
        canvas.DrawText((width - BitmapFont.MeasureWidth(title, Scale)) / 2, 14, title, Palette.Ink, Scale);
        return canvas;
    }

    /// <summary>The usual heading: which dimensions vary, how the lattice is spaced, and that the rest are 0.</summary>
    public static string Title(int latent, int dimX, int dimY, bool gaussian, float range)
    {
        string spacing = gaussian ? "Gaussian quantiles of 0.05..0.95" : $"-{range.ToString("0.##", CultureInfo.InvariantCulture)}..{range.ToString("0.##", CultureInfo.InvariantCulture)}";
        string dims = latent > 1 ? $"z[{dimX}], z[{dimY}]" : $"z[{dimX}]";
        string rest = latent > 2 ? ", other dims 0" : "";
        return $"Decoded {dims} over {spacing}{rest}";
    }
}

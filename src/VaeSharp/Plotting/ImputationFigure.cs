namespace VaeSharp.Plotting;

/// <summary>
/// The imputation uncertainty figure: one row per digit — the original, the masked input (missing pixels gray), then
/// K imputed draws — under a title and a heading over every column.
/// </summary>
public static class ImputationFigure
{
    private const int Scale = 2, Padding = 2, Margin = 8;

    /// <summary>Draws the figure as a PNG.</summary>
    /// <param name="cells">Images in [0, 1], row by row: (count, 2 + samples, imageHeight·imageWidth).</param>
    /// <param name="count">Digits (figure rows).</param>
    /// <param name="samples">Imputed draws per digit.</param>
    /// <param name="imageHeight">Pixels per image column.</param>
    /// <param name="imageWidth">Pixels per image row.</param>
    /// <param name="title">A line above the headings, e.g. the mask and the missing fraction.</param>
    public static byte[] Draw(ReadOnlySpan<float> cells, int count, int samples, int imageHeight, int imageWidth, string title)
    {
        int columns = samples + 2;
        var (gridWidth, gridHeight) = ImageGrid.GridSize(count, columns, imageHeight, imageWidth, Scale, Padding);
        var grid = ImageGrid.Tile(cells, count * columns, count, columns, imageHeight, imageWidth, Scale, Padding);
        int headingTop = Margin + BitmapFont.LineHeight + 4, gridTop = headingTop + BitmapFont.LineHeight + 2;
        int width = Math.Max(gridWidth, BitmapFont.MeasureWidth(title)) + 2 * Margin;
        var canvas = new Canvas(width, gridTop + gridHeight + Margin, Palette.Background);
        canvas.DrawText(Margin, Margin, title, Palette.Ink);
        int pitch = imageWidth * Scale + Padding;
        for (int column = 0; column < columns; column++)
        {
            string heading = column switch { 0 => "original", 1 => "masked", _ => $"draw {column - 1}" };
            int center = Margin + Padding + column * pitch + imageWidth * Scale / 2;
            canvas.DrawText(center - BitmapFont.MeasureWidth(heading) / 2, headingTop, heading, Palette.Ink);
        }
        canvas.DrawGray(Margin, gridTop, gridWidth, gridHeight, grid);
        return canvas.ToPng();
    }
}

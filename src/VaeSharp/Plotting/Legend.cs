namespace VaeSharp.Plotting;

/// <summary>One legend line: a colour swatch and what it stands for.</summary>
/// <param name="Text">The label.</param>
/// <param name="Color">The swatch.</param>
public sealed record LegendEntry(string Text, Color Color);

/// <summary>Draws legends outside the data frame, so they never hide data: a column of dots, or a row of line swatches.</summary>
public static class Legend
{
    private const int Scale = Axes.TextScale;
    private const int Swatch = 12;
    private const int Gap = 8;
    private const int RowHeight = BitmapFont.LineHeight * Scale + 4;
    private const int LineSwatchLength = 28;

    /// <summary>The (width, height) that <see cref="DrawColumn"/> will take.</summary>
    public static (int Width, int Height) MeasureColumn(IReadOnlyList<LegendEntry> entries, string? heading = null)
    {
        int widest = entries.Select(entry => BitmapFont.MeasureWidth(entry.Text, Scale)).DefaultIfEmpty(0).Max();
        int width = Swatch + Gap + widest;
        if (heading is not null) width = Math.Max(width, BitmapFont.MeasureWidth(heading, Scale));
        return (width, (entries.Count + (heading is null ? 0 : 1)) * RowHeight);
    }

    /// <summary>Draws a column with an optional heading, each entry a round swatch and its text, with its top left at (x, y).</summary>
    public static void DrawColumn(Canvas canvas, int x, int y, IReadOnlyList<LegendEntry> entries, string? heading = null)
    {
        if (heading is not null)
        {
            canvas.DrawText(x, y, heading, Palette.Ink, Scale);
            y += RowHeight;
        }
        int textHeight = BitmapFont.CapHeight * Scale;
        foreach (var entry in entries)
        {
            canvas.FillCircle(x + Swatch / 2.0, y + textHeight / 2.0, Swatch / 2.0, entry.Color);
            canvas.DrawText(x + Swatch + Gap, y, entry.Text, Palette.Ink, Scale);
            y += RowHeight;
        }
    }

    /// <summary>The width that <see cref="DrawRow"/> will take.</summary>
    public static int MeasureRow(IReadOnlyList<LegendEntry> entries) =>
        entries.Sum(entry => LineSwatchLength + Gap + BitmapFont.MeasureWidth(entry.Text, Scale)) + Math.Max(entries.Count - 1, 0) * 3 * Gap;

    /// <summary>Draws the entries side by side, each a short thick line and its text, centred on <paramref name="centerX"/> with its top at <paramref name="y"/>.</summary>
    public static void DrawRow(Canvas canvas, int centerX, int y, IReadOnlyList<LegendEntry> entries)
    {
        int x = centerX - MeasureRow(entries) / 2;
        int middle = y + BitmapFont.CapHeight * Scale / 2;
        foreach (var entry in entries)
        {
            canvas.DrawLine(x, middle, x + LineSwatchLength, middle, entry.Color, thickness: 3);
            x += LineSwatchLength + Gap;
            canvas.DrawText(x, y, entry.Text, Palette.Ink, Scale);
            x += BitmapFont.MeasureWidth(entry.Text, Scale) + 3 * Gap;
        }
    }

    /// <summary>The ten digit classes in their tab10 colours, 0 to 9.</summary>
    public static IReadOnlyList<LegendEntry> Digits() =>
        [.. Enumerable.Range(0, 10).Select(digit => new LegendEntry(digit.ToString(System.Globalization.CultureInfo.InvariantCulture), Palette.Category(digit)))];
}

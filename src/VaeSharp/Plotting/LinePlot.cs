namespace VaeSharp.Plotting;

/// <summary>Draws curves into one panel with its axes, each point marked, and the legend in a row above the frame.</summary>
public static class LinePlot
{
    private const int LegendHeight = BitmapFont.LineHeight * Axes.TextScale + 8;
    private const int Thickness = 3;
    private const double MarkerRadius = 4;

    /// <summary>
    /// Draws <paramref name="series"/> in <paramref name="panel"/>: title, legend row, frame and curves. The frame is the panel
    /// less the margins that <see cref="Axes"/> needs, so panels placed side by side never overlap. With
    /// <paramref name="integerX"/>, x ticks fall on whole numbers only (epochs).
    /// </summary>
    public static void Draw(Canvas canvas, PixelRect panel, IReadOnlyList<LineSeries> series, string xTitle, string yTitle, string title, bool integerX = false)
    {
        ArgumentNullException.ThrowIfNull(series);
        foreach (var curve in series)
            if (curve.Xs.Length != curve.Ys.Length) throw new ArgumentException($"curve '{curve.Name}' has {curve.Xs.Length} x values but {curve.Ys.Length} y values", nameof(series));

        var frame = panel.Inset(Axes.MarginLeft, Axes.MarginTop + LegendHeight, 24, Axes.MarginBottom);
        double[] allX = [.. series.SelectMany(curve => curve.Xs)];
        double[] allY = [.. series.SelectMany(curve => curve.Ys)];
        var axes = Axes.Fit(frame, allX, allY, padding: 0.06, integerX);
        axes.DrawBackground(canvas);
        foreach (var curve in series)
        {
            for (int i = 1; i < curve.Xs.Length; i++)
                if (double.IsFinite(curve.Ys[i - 1]) && double.IsFinite(curve.Ys[i]))
                    canvas.DrawLine(axes.ToPixelX(curve.Xs[i - 1]), axes.ToPixelY(curve.Ys[i - 1]), axes.ToPixelX(curve.Xs[i]), axes.ToPixelY(curve.Ys[i]), curve.Color, Thickness);
            for (int i = 0; i < curve.Xs.Length; i++)
                if (double.IsFinite(curve.Ys[i])) canvas.FillCircle(axes.ToPixelX(curve.Xs[i]), axes.ToPixelY(curve.Ys[i]), MarkerRadius, curve.Color);
        }
        // Above the frame, under the title: the legend sits where no curve can run.
        canvas.DrawText(frame.X + (frame.Width - BitmapFont.MeasureWidth(title, Axes.TextScale)) / 2, panel.Y + 6, title, Palette.Ink, Axes.TextScale);
        Legend.DrawRow(canvas, frame.X + frame.Width / 2, frame.Y - LegendHeight, [.. series.Select(curve => new LegendEntry(curve.Name, curve.Color))]);
        axes.DrawForeground(canvas, xTitle, yTitle);
    }
}

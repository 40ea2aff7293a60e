using System.Globalization;

namespace VaeSharp.Plotting;

/// <summary>Draws points coloured by class into one set of axes: as translucent dots, or as their class digits.</summary>
public static class ScatterPlot
{
    /// <summary>Points drawn as text at most; more would pile into an unreadable blot, as the Keras example's plot shows.</summary>
    public const int MaxTextPoints = 600;

    private const double DotRadius = 2.2;
    private const float DotOpacity = 0.7f;

    /// <summary>
    /// Draws the points (xs[i], ys[i]) on <paramref name="axes"/>: the grid, the points in the colour of
    /// <paramref name="classes"/>[i] (or the first palette colour without classes), then the frame and labels.
    /// </summary>
    /// <param name="canvas">Where to draw.</param>
    /// <param name="axes">The data-to-pixel map and frame.</param>
    /// <param name="xs">Horizontal coordinates.</param>
    /// <param name="ys">Vertical coordinates, as many as <paramref name="xs"/>.</param>
    /// <param name="classes">A class 0..9 per point, or null.</param>
    /// <param name="xTitle">Title under the x axis.</param>
    /// <param name="yTitle">Title beside the y axis.</param>
    /// <param name="title">Title above the frame, or null.</param>
    /// <param name="classesAsText">Draw an evenly spaced subsample of at most <see cref="MaxTextPoints"/> points as their class digit.</param>
    public static void Draw(Canvas canvas, Axes axes, ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, ReadOnlySpan<byte> classes,
        string xTitle, string yTitle, string? title = null, bool classesAsText = false)
    {
        if (xs.Length != ys.Length) throw new ArgumentException($"{xs.Length} x values but {ys.Length} y values", nameof(ys));
        if (!classes.IsEmpty && classes.Length != xs.Length) throw new ArgumentException($"{classes.Length} classes for {xs.Length} points", nameof(classes));
        axes.DrawBackground(canvas);
        int stride = classesAsText ? Math.Max(1, (xs.Length + MaxTextPoints - 1) / MaxTextPoints) : 1;
        for (int i = 0; i < xs.Length; i += stride)
        {
            if (!axes.Contains(xs[i], ys[i])) continue;
            var color = Palette.Category(classes.IsEmpty ? 0 : classes[i]);
            double px = axes.ToPixelX(xs[i]), py = axes.ToPixelY(ys[i]);
            if (classesAsText)
            {
                string digit = classes.IsEmpty ? "*" : classes[i].ToString(CultureInfo.InvariantCulture);
                int scale = Axes.TextScale;
                canvas.DrawText((int)Math.Round(px) - BitmapFont.MeasureWidth(digit, scale) / 2, (int)Math.Round(py) - BitmapFont.CapHeight * scale / 2, digit, color, scale);
            }
            else canvas.FillCircle(px, py, DotRadius, color, DotOpacity);
        }
        axes.DrawForeground(canvas, xTitle, yTitle, title);
    }
}

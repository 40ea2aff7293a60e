namespace VaeSharp.Plotting;

/// <summary>
/// Maps data coordinates onto a frame of pixels and draws what a reader needs to read them: the frame, light grid
/// lines, outward ticks at nice numbers with their labels, the axis titles and a title. Tick spacing is chosen so
/// that no two labels touch.
/// </summary>
/// <remarks>
/// The frame must leave room around it on the canvas: <see cref="MarginLeft"/>, <see cref="MarginBottom"/> and
/// <see cref="MarginTop"/> hold the tick labels, the titles and the plot title drawn at <see cref="TextScale"/>.
/// </remarks>
public sealed class Axes
{
    /// <summary>Scale of all axis text: the 5×7 font doubled, readable on an 800-pixel-wide figure.</summary>
    public const int TextScale = 2;

    /// <summary>Pixels left of the frame needed for tick labels of up to seven characters and the y title.</summary>
    public const int MarginLeft = 130;

    /// <summary>Pixels below the frame needed for tick labels and the x title.</summary>
    public const int MarginBottom = 76;

    /// <summary>Pixels above the frame needed for the plot title.</summary>
    public const int MarginTop = 44;

    private const int TickLength = 6;
    private const int Gap = 6;

    /// <summary>Axes over [xMin, xMax]×[yMin, yMax] drawn in <paramref name="frame"/>; an empty range is widened by one either way.</summary>
    public Axes(PixelRect frame, double xMin, double xMax, double yMin, double yMax)
    {
        Frame = frame;
        (XMin, XMax) = Widen(xMin, xMax);
        (YMin, YMax) = Widen(yMin, yMax);
    }

    /// <summary>
    /// Axes whose ranges cover the points with a <paramref name="padding"/> fraction to spare on each side, so that
    /// markers on the extremes are not cut by the frame. Non-finite coordinates are ignored.
    /// </summary>
    /// <param name="frame">The pixel frame that the data range fills.</param>
    /// <param name="xs">Horizontal coordinates of the points.</param>
    /// <param name="ys">Vertical coordinates of the points.</param>
    /// <param name="padding">The fraction of each range added on both sides.</param>
    /// <param name="integerX">Sets <see cref="IntegerX"/>.</param>
    public static Axes Fit(PixelRect frame, ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, double padding = 0.05, bool integerX = false)
    {
        var (xMin, xMax) = Extent(xs);
        var (yMin, yMax) = Extent(ys);
        double xPad = (xMax - xMin) * padding, yPad = (yMax - yMin) * padding;
        return new Axes(frame, xMin - xPad, xMax + xPad, yMin - yPad, yMax + yPad) { IntegerX = integerX };
    }

    /// <summary>The pixel frame that the data range fills.</summary>
    public PixelRect Frame { get; }

    /// <summary>Whether x only takes whole numbers (epochs, counts), so x ticks are never fractional.</summary>
    public bool IntegerX { get; init; }

    /// <summary>The data value at the frame's left edge.</summary>
    public double XMin { get; }

    /// <summary>The data value at the frame's right edge.</summary>
    public double XMax { get; }

    /// <summary>The data value at the frame's bottom edge.</summary>
    public double YMin { get; }

    /// <summary>The data value at the frame's top edge.</summary>
    public double YMax { get; }

    /// <summary>The canvas column of data value <paramref name="x"/>.</summary>
    public double ToPixelX(double x) => Frame.X + (x - XMin) / (XMax - XMin) * (Frame.Width - 1);

    /// <summary>The canvas row of data value <paramref name="y"/>; y grows upwards.</summary>
    public double ToPixelY(double y) => Frame.Y + (YMax - y) / (YMax - YMin) * (Frame.Height - 1);

    /// <summary>Whether the data point lands inside the frame.</summary>
    public bool Contains(double x, double y) => x >= XMin && x <= XMax && y >= YMin && y <= YMax;

    /// <summary>Draws the grid lines and the frame; call before the data so the data lies on top.</summary>
    public void DrawBackground(Canvas canvas)
    {
        foreach (double x in XTicks()) canvas.FillRect((int)Math.Round(ToPixelX(x)), Frame.Y, 1, Frame.Height, Palette.GridLine);
        foreach (double y in YTicks()) canvas.FillRect(Frame.X, (int)Math.Round(ToPixelY(y)), Frame.Width, 1, Palette.GridLine);
    }

    /// <summary>Draws the frame, ticks, tick labels, axis titles and the title; call after the data so the frame stays crisp.</summary>
    public void DrawForeground(Canvas canvas, string xTitle, string yTitle, string? title = null)
    {
        canvas.DrawRect(Frame.X - 1, Frame.Y - 1, Frame.Width + 2, Frame.Height + 2, Palette.Ink);
        int labelHeight = BitmapFont.CapHeight * TextScale;

        var xTicks = XTicks();
        double xStep = xTicks.Length > 1 ? xTicks[1] - xTicks[0] : 1;
        foreach (double x in xTicks)
        {
            int px = (int)Math.Round(ToPixelX(x));
            canvas.FillRect(px, Frame.Bottom, 1, TickLength, Palette.Ink);
            string label = Ticks.Format(x, xStep);
            canvas.DrawText(px - BitmapFont.MeasureWidth(label, TextScale) / 2, Frame.Bottom + TickLength + Gap, label, Palette.Ink, TextScale);
        }
        int xTitleTop = Frame.Bottom + TickLength + Gap + labelHeight + 3 * Gap;
        canvas.DrawText(Frame.X + (Frame.Width - BitmapFont.MeasureWidth(xTitle, TextScale)) / 2, xTitleTop, xTitle, Palette.Ink, TextScale);

        var yTicks = YTicks();
        double yStep = yTicks.Length > 1 ? yTicks[1] - yTicks[0] : 1;
        int widestLabel = 0;
        foreach (double y in yTicks)
        {
            int py = (int)Math.Round(ToPixelY(y));
            canvas.FillRect(Frame.X - 1 - TickLength, py, TickLength, 1, Palette.Ink);
            string label = Ticks.Format(y, yStep);
            int width = BitmapFont.MeasureWidth(label, TextScale);
            widestLabel = Math.Max(widestLabel, width);
            canvas.DrawText(Frame.X - 1 - TickLength - Gap - width, py - labelHeight / 2, label, Palette.Ink, TextScale);
        }
        int yTitleLeft = Frame.X - 1 - TickLength - 2 * Gap - widestLabel - BitmapFont.GlyphHeight * TextScale;
        int yTitleLength = BitmapFont.MeasureWidth(yTitle, TextScale);
        canvas.DrawTextUpwards(yTitleLeft, Frame.Y + (Frame.Height - yTitleLength) / 2, yTitle, Palette.Ink, TextScale);

        if (title is not null)
            canvas.DrawText(Frame.X + (Frame.Width - BitmapFont.MeasureWidth(title, TextScale)) / 2, Frame.Y - MarginTop + Gap, title, Palette.Ink, TextScale);
    }

    /// <summary>The x ticks: as many nice ones as fit with a label's width and two spaces between neighbours.</summary>
    public double[] XTicks()
    {
        for (int count = 10; count > 2; count--)
        {
            var ticks = Ticks.Nice(XMin, XMax, count, IntegerX ? 1 : 0);
            if (ticks.Length < 2) return ticks;
            double spacing = (ticks[1] - ticks[0]) / (XMax - XMin) * Frame.Width;
            int widest = ticks.Max(x => BitmapFont.MeasureWidth(Ticks.Format(x, ticks[1] - ticks[0]), TextScale));
            if (spacing >= widest + 2 * BitmapFont.Advance * TextScale) return ticks;
        }
        return Ticks.Nice(XMin, XMax, 2, IntegerX ? 1 : 0);
    }

    /// <summary>The y ticks: as many nice ones as fit with three label heights between neighbours.</summary>
    public double[] YTicks()
    {
        int minimumSpacing = 3 * BitmapFont.CapHeight * TextScale;
        int count = Math.Clamp(Frame.Height / minimumSpacing, 2, 10);
        return Ticks.Nice(YMin, YMax, count);
    }

    private static (double Min, double Max) Widen(double min, double max)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max) return (-1, 1);
        return min == max ? (min - 1, max + 1) : (min, max);
    }

    private static (double Min, double Max) Extent(ReadOnlySpan<double> values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double value in values)
        {
            if (!double.IsFinite(value)) continue;
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }
        return min <= max ? (min, max) : (-1, 1);
    }
}

namespace VaeSharp.Plotting;

/// <summary>
/// An RGB raster to draw figures on: fills, clipped lines, filled circles, rectangles, gray images and text in the
/// <see cref="BitmapFont"/>. Coordinates are pixels with (0, 0) at the top left; anything outside the canvas is
/// clipped, never an error, so plots can draw data that strays past their frame.
/// </summary>
public sealed class Canvas
{
    /// <summary>A canvas of <paramref name="width"/>×<paramref name="height"/> pixels filled with <paramref name="background"/>.</summary>
    public Canvas(int width, int height, Color background)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        PictureTooLargeException.ThrowIfTooLarge(width, height, 3);
        Width = width;
        Height = height;
        Pixels = new byte[width * height * 3];
        Fill(background);
    }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>(height, width, 3) bytes, row-major, red then green then blue: what <see cref="Png.WriteRgb"/> takes.</summary>
    public byte[] Pixels { get; }

    /// <summary>The colour at (<paramref name="x"/>, <paramref name="y"/>), which must lie on the canvas.</summary>
    public Color GetPixel(int x, int y)
    {
        if (!Contains(x, y)) throw new ArgumentOutOfRangeException(nameof(x), $"({x}, {y}) is outside the {Width}x{Height} canvas");
        int at = (y * Width + x) * 3;
        return new Color(Pixels[at], Pixels[at + 1], Pixels[at + 2]);
    }

    /// <summary>Sets one pixel; does nothing outside the canvas.</summary>
    public void SetPixel(int x, int y, Color color)
    {
        if (!Contains(x, y)) return;
        int at = (y * Width + x) * 3;
        Pixels[at] = color.R;
        Pixels[at + 1] = color.G;
        Pixels[at + 2] = color.B;
    }

    /// <summary>Paints the whole canvas.</summary>
    public void Fill(Color color) => FillRect(0, 0, Width, Height, color);

    /// <summary>Paints the rectangle with top left (<paramref name="x"/>, <paramref name="y"/>), clipped to the canvas.</summary>
    public void FillRect(int x, int y, int width, int height, Color color)
    {
        int left = Math.Max(x, 0), right = (int)Math.Min((long)x + width, Width);
        int top = Math.Max(y, 0), bottom = (int)Math.Min((long)y + height, Height);
        for (int row = top; row < bottom; row++)
            for (int column = left; column < right; column++) SetPixel(column, row, color);
    }

    /// <summary>Draws the one-pixel outline of a rectangle whose outer edge is the given box.</summary>
    public void DrawRect(int x, int y, int width, int height, Color color)
    {
        if (width < 1 || height < 1) return;
        FillRect(x, y, width, 1, color);
        FillRect(x, y + height - 1, width, 1, color);
        FillRect(x, y, 1, height, color);
        FillRect(x + width - 1, y, 1, height, color);
    }

    /// <summary>
    /// Draws a straight line between two points (Bresenham), <paramref name="thickness"/> pixels wide. The segment is
    /// first clipped to the canvas (Liang–Barsky), so lines to far-away points cost no more than visible ones.
    /// </summary>
    public void DrawLine(double x0, double y0, double x1, double y1, Color color, int thickness = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(thickness, 1);
        if (!double.IsFinite(x0) || !double.IsFinite(y0) || !double.IsFinite(x1) || !double.IsFinite(y1)) return;
        // Clip to the canvas widened by the pen, so a thick line's edge still reaches the border.
        double margin = thickness;
        if (!Clip(ref x0, ref y0, ref x1, ref y1, -margin, -margin, Width - 1 + margin, Height - 1 + margin)) return;
        int ax = (int)Math.Round(x0), ay = (int)Math.Round(y0), bx = (int)Math.Round(x1), by = (int)Math.Round(y1);
        int dx = Math.Abs(bx - ax), dy = -Math.Abs(by - ay);
        int stepX = ax < bx ? 1 : -1, stepY = ay < by ? 1 : -1;
        int error = dx + dy;
        int offset = (thickness - 1) / 2;
        while (true)
        {
            if (thickness == 1) SetPixel(ax, ay, color);
            else FillRect(ax - offset, ay - offset, thickness, thickness, color);
            if (ax == bx && ay == by) break;
            int doubled = 2 * error;
            if (doubled >= dy) { error += dy; ax += stepX; }
            if (doubled <= dx) { error += dx; ay += stepY; }
        }
    }

    /// <summary>Paints a disc; <paramref name="opacity"/> below 1 blends it over what is there, so dense clouds show their density.</summary>
    public void FillCircle(double centerX, double centerY, double radius, Color color, float opacity = 1f)
    {
        if (!double.IsFinite(centerX) || !double.IsFinite(centerY) || !(radius > 0)) return;
        int left = (int)Math.Floor(centerX - radius), right = (int)Math.Ceiling(centerX + radius);
        int top = (int)Math.Floor(centerY - radius), bottom = (int)Math.Ceiling(centerY + radius);
        double radiusSquared = radius * radius;
        for (int y = Math.Max(top, 0); y <= Math.Min(bottom, Height - 1); y++)
            for (int x = Math.Max(left, 0); x <= Math.Min(right, Width - 1); x++)
            {
                double ox = x - centerX, oy = y - centerY;
                if (ox * ox + oy * oy > radiusSquared) continue;
                SetPixel(x, y, opacity >= 1f ? color : GetPixel(x, y).Mix(color, opacity));
            }
    }

    /// <summary>Draws <paramref name="text"/> on one line with its top left at (<paramref name="x"/>, <paramref name="y"/>), each font pixel a <paramref name="scale"/>-sided square.</summary>
    public void DrawText(int x, int y, string text, Color color, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        for (int index = 0; index < text.Length; index++)
            for (int row = 0; row < BitmapFont.GlyphHeight; row++)
                for (int column = 0; column < BitmapFont.GlyphWidth; column++)
                    if (BitmapFont.IsSet(text[index], column, row))
                        FillRect(x + (index * BitmapFont.Advance + column) * scale, y + row * scale, scale, scale, color);
    }

    /// <summary>
    /// Draws <paramref name="text"/> turned a quarter counter-clockwise, reading upwards as a y-axis title does. The
    /// text occupies a box <see cref="BitmapFont.GlyphHeight"/>·scale wide and its measured width tall, with its top left at (x, y).
    /// </summary>
    public void DrawTextUpwards(int x, int y, string text, Color color, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        int bottom = y + BitmapFont.MeasureWidth(text, scale);
        for (int index = 0; index < text.Length; index++)
            for (int row = 0; row < BitmapFont.GlyphHeight; row++)
                for (int column = 0; column < BitmapFont.GlyphWidth; column++)
                    if (BitmapFont.IsSet(text[index], column, row))
                        FillRect(x + row * scale, bottom - (index * BitmapFont.Advance + column + 1) * scale, scale, scale, color);
    }

    /// <summary>Copies an 8-bit grayscale image (0 black, 255 white) with its top left at (<paramref name="x"/>, <paramref name="y"/>), clipped.</summary>
    /// <param name="x">Left edge on the canvas.</param>
    /// <param name="y">Top edge on the canvas.</param>
    /// <param name="width">Pixels per row of the image.</param>
    /// <param name="height">Rows of the image.</param>
    /// <param name="gray">(height, width) bytes, row-major.</param>
    public void DrawGray(int x, int y, int width, int height, ReadOnlySpan<byte> gray)
    {
        if (gray.Length != (long)width * height) throw new ArgumentException($"{gray.Length} bytes are not a {width}x{height} image", nameof(gray));
        for (int row = 0; row < height; row++)
            for (int column = 0; column < width; column++)
            {
                byte level = gray[row * width + column];
                SetPixel(x + column, y + row, new Color(level, level, level));
            }
    }

    /// <summary>Writes the canvas as an RGB PNG.</summary>
    /// <param name="destination">Where the PNG goes; it is not flushed or closed.</param>
    public void WritePng(Stream destination) => Png.WriteRgb(destination, Width, Height, Pixels);

    /// <summary>The canvas as the bytes of an RGB PNG file.</summary>
    public byte[] ToPng()
    {
        using var buffer = new MemoryStream();
        WritePng(buffer);
        return buffer.ToArray();
    }

    private bool Contains(int x, int y) => (uint)x < (uint)Width && (uint)y < (uint)Height;

    /// <summary>Liang–Barsky: shortens the segment to the part inside the box; false when none of it is.</summary>
    private static bool Clip(ref double x0, ref double y0, ref double x1, ref double y1, double minX, double minY, double maxX, double maxY)
    {
        double dx = x1 - x0, dy = y1 - y0;
        double enter = 0, leave = 1;
        ReadOnlySpan<double> p = [-dx, dx, -dy, dy];
        ReadOnlySpan<double> q = [x0 - minX, maxX - x0, y0 - minY, maxY - y0];
        for (int edge = 0; edge < 4; edge++)
        {
            if (p[edge] == 0)
            {
                if (q[edge] < 0) return false;
                continue;
            }
            double t = q[edge] / p[edge];
            if (p[edge] < 0) enter = Math.Max(enter, t);
            else leave = Math.Min(leave, t);
            if (enter > leave) return false;
        }
        (x0, y0, x1, y1) = (x0 + enter * dx, y0 + enter * dy, x0 + leave * dx, y0 + leave * dy);
        return true;
    }
}

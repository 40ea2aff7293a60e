using VaeSharp.Plotting;

namespace VaeSharp.Tests.Plotting;

public class CanvasTests
{
    private static readonly Color White = new(255, 255, 255);
    private static readonly Color Red = new(255, 0, 0);

    private static HashSet<(int X, int Y)> Painted(Canvas canvas, Color color)
    {
        var painted = new HashSet<(int, int)>();
        for (int y = 0; y < canvas.Height; y++)
            for (int x = 0; x < canvas.Width; x++)
                if (canvas.GetPixel(x, y) == color) painted.Add((x, y));
        return painted;
    }

    [Fact]
    public void HorizontalAndDiagonalLinesSetExactlyTheirPixels()
    {
        var canvas = new Canvas(10, 8, White);
        canvas.DrawLine(2, 1, 6, 1, Red);
        canvas.DrawLine(0, 3, 3, 6, Red);
        HashSet<(int, int)> expected = [(2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (0, 3), (1, 4), (2, 5), (3, 6)];
        Assert.Equal(expected, Painted(canvas, Red));
    }

    [Fact]
    public void LinesAreClippedToTheCanvas()
    {
        var canvas = new Canvas(5, 5, White);
        canvas.DrawLine(-1e9, 2, 1e9, 2, Red);
        canvas.DrawLine(-10, -10, -1, -1, Red);
        canvas.DrawLine(double.NaN, 0, 3, 3, Red);
        HashSet<(int, int)> expected = [(0, 2), (1, 2), (2, 2), (3, 2), (4, 2)];
        Assert.Equal(expected, Painted(canvas, Red));
    }

    [Fact]
    public void RectanglesAndCirclesStayInTheirBox()
    {
        var canvas = new Canvas(20, 20, White);
        canvas.FillRect(-5, -5, 8, 7, Red);
        Assert.Equal(3 * 2, Painted(canvas, Red).Count);
        canvas.Fill(White);
        canvas.FillCircle(10, 10, 3, Red);
        var disc = Painted(canvas, Red);
        Assert.Contains((10, 10), disc);
        Assert.Contains((13, 10), disc);
        Assert.DoesNotContain((13, 13), disc);
        Assert.All(disc, point => Assert.True((point.X - 10) * (point.X - 10) + (point.Y - 10) * (point.Y - 10) <= 9));
    }

    [Fact]
    public void TextIsTheFontEnlargedByTheScale()
    {
        var canvas = new Canvas(40, 30, White);
        canvas.DrawText(3, 4, "1", Red, scale: 2);
        for (int row = 0; row < BitmapFont.GlyphHeight; row++)
            for (int column = 0; column < BitmapFont.GlyphWidth; column++)
            {
                bool set = BitmapFont.IsSet('1', column, row);
                Assert.Equal(set, canvas.GetPixel(3 + 2 * column, 4 + 2 * row) == Red);
                Assert.Equal(set, canvas.GetPixel(4 + 2 * column, 5 + 2 * row) == Red);
            }
    }

    [Fact]
    public void UpwardTextIsTheGlyphTurnedCounterClockwise()
    {
        var canvas = new Canvas(20, 20, White);
        canvas.DrawTextUpwards(0, 0, "L", Red);
        // L's vertical stroke (column 0) becomes the bottom row of the turned box; its foot (row 6) the right-hand column.
        for (int row = 0; row < BitmapFont.CapHeight; row++)
            Assert.Equal(BitmapFont.IsSet('L', 0, row), canvas.GetPixel(row, BitmapFont.GlyphWidth - 1) == Red);
        Assert.Equal(BitmapFont.GlyphWidth, Enumerable.Range(0, 20).Count(y => canvas.GetPixel(6, y) == Red));
    }

    [Fact]
    public void PngRoundTripsThePixels()
    {
        var canvas = new Canvas(7, 5, White);
        canvas.DrawLine(0, 0, 6, 4, Red);
        var image = PngTestDecoder.Decode(canvas.ToPng());
        Assert.Equal((7, 5, (byte)2), (image.Width, image.Height, image.ColorType));
        Assert.Equal(canvas.Pixels, image.Pixels);
    }
}

using System.Buffers.Binary;
using VaeSharp.Plotting;

namespace VaeSharp.Tests.Plotting;

public class ImputationFigureTests
{
    [Fact]
    public void FigureHoldsTheGridUnderATitleAndColumnHeadings()
    {
        int count = 2, samples = 3, columns = samples + 2;
        var cells = new float[count * columns * 16];
        Array.Fill(cells, 1f);
        var png = ImputationFigure.Draw(cells, count, samples, 4, 4, "pixel mask, 50% missing");
        var (gridWidth, gridHeight) = ImageGrid.GridSize(count, columns, 4, 4, scale: 2, padding: 2);
        int width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20));
        // The title is wider than this tiny grid, so it sets the width; the headings and title add height above the grid.
        Assert.Equal(BitmapFont.MeasureWidth("pixel mask, 50% missing") + 16, width);
        Assert.True(height > gridHeight + 2 * BitmapFont.LineHeight, $"height {height}");
        Assert.True(width >= gridWidth);
    }
}

using VaeSharp.Kernels;

namespace VaeSharp.Tests.Kernels;

/// <summary>Stepping a window position gives the (image, row, column) that dividing the window's index gives.</summary>
public class WindowPositionTests
{
    [Theory]
    [InlineData(0, 3, 4)]
    [InlineData(5, 3, 4)]
    [InlineData(11, 1, 1)]
    [InlineData(23, 7, 1)]
    [InlineData(2, 1, 5)]
    public void SteppingMatchesDividing(int firstRow, int outH, int outW)
    {
        var position = new WindowPosition(firstRow, outH, outW);
        for (int row = firstRow; row < firstRow + 3 * outH * outW + 2; row++, position.Next())
            Assert.Equal((row / (outW * outH), row / outW % outH, row % outW), (position.Image, position.Row, position.Column));
    }
}

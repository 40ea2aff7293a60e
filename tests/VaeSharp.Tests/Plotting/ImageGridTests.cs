using VaeSharp.Plotting;

namespace VaeSharp.Tests.Plotting;

public class ImageGridTests
{
    [Fact]
    public void TwoByTwoGridOfTwoByTwoImages()
    {
        // images: (4, 2*2); image k holds k/4 + pixel/16 so every byte says where it came from
        float[] images = new float[16];
        for (int k = 0; k < 4; k++)
            for (int p = 0; p < 4; p++) images[k * 4 + p] = k / 4f + p / 16f;

        byte[] grid = ImageGrid.Tile(images, count: 4, rows: 2, cols: 2, imageHeight: 2, imageWidth: 2);

        // round(v * 255): 0/16→0, 1/16→16, 2/16→32, 3/16→48, 4/16→64, ... 15/16→239
        byte[] expected =
        [
            0, 16, 64, 80,
            32, 48, 96, 112,
            128, 143, 191, 207,
            159, 175, 223, 239,
        ];
        Assert.Equal(expected, grid);
        Assert.Equal((4, 4), ImageGrid.GridSize(2, 2, 2, 2));
    }

    [Fact]
    public void ScaleEnlargesByNearestNeighbour()
    {
        byte[] grid = ImageGrid.Tile([0f, 1f, 1f, 0f], count: 1, rows: 1, cols: 1, imageHeight: 2, imageWidth: 2, scale: 2);
        byte[] expected =
        [
            0, 0, 255, 255,
            0, 0, 255, 255,
            255, 255, 0, 0,
            255, 255, 0, 0,
        ];
        Assert.Equal(expected, grid);
    }

    [Fact]
    public void ValuesAreClampedAndNaNIsBlack()
    {
        byte[] grid = ImageGrid.Tile([-0.5f, 1.7f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0.5f], 1, 1, 1, 1, 6);
        Assert.Equal(new byte[] { 0, 255, 0, 255, 0, 128 }, grid);
    }

    [Fact]
    public void PaddingRunsBetweenCellsAndAroundAndEmptyCellsAreBlack()
    {
        // Two 1x1 images in a 1x3 grid, scale 2, padding 1: width 3*(2+1)+1 = 10, height 1*(2+1)+1 = 4.
        Assert.Equal((10, 4), ImageGrid.GridSize(1, 3, 1, 1, scale: 2, padding: 1));
        byte[] grid = ImageGrid.Tile([1f, 0.2f], count: 2, rows: 1, cols: 3, imageHeight: 1, imageWidth: 1, scale: 2, padding: 1);
        byte[] expected =
        [
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 255, 255, 0, 51, 51, 0, 0, 0, 0,
            0, 255, 255, 0, 51, 51, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ];
        Assert.Equal(expected, grid);
    }

    [Fact]
    public void WriteGridPngWritesTheTiledPixels()
    {
        float[] images = [0f, 0.25f, 0.5f, 1f, 1f, 0.5f, 0.25f, 0f];
        using var stream = new MemoryStream();
        ImageGrid.WriteGridPng(stream, images, count: 2, rows: 1, cols: 2, imageHeight: 2, imageWidth: 2, scale: 3, padding: 2);

        var image = PngTestDecoder.Decode(stream.ToArray());

        Assert.Equal(ImageGrid.GridSize(1, 2, 2, 2, 3, 2), (image.Width, image.Height));
        Assert.Equal(ImageGrid.Tile(images, 2, 1, 2, 2, 2, 3, 2), image.Pixels);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageGrid.Tile(new float[5 * 4], 5, 2, 2, 2, 2));
        Assert.Throws<ArgumentException>(() => ImageGrid.Tile(new float[3], 1, 1, 1, 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageGrid.Tile(new float[4], 1, 1, 1, 2, 2, scale: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageGrid.GridSize(1, 1, 1, 1, padding: -1));
        Assert.Throws<PictureTooLargeException>(() => ImageGrid.GridSize(50_000, 50_000, 28, 28));
    }
}

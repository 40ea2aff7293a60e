using System.Text;
using VaeSharp.Plotting;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Plotting;

public class PngTests
{
    private static byte[] Gray(int width, int height, byte[] pixels)
    {
        using var stream = new MemoryStream();
        Png.WriteGray(stream, width, height, pixels);
        return stream.ToArray();
    }

    [Fact]
    public void Crc32OfTheCheckString() =>
        Assert.Equal(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void Crc32OfNothingIsZero() => Assert.Equal(0u, Crc32.Compute([]));

    [Fact]
    public void EndsWithTheStandardIendChunk()
    {
        byte[] png = Gray(1, 1, [128]);
        Assert.Equal(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82 }, png[^12..]);
    }

    [Fact]
    public void StartsWithSignatureAndExactIhdr()
    {
        using var stream = new MemoryStream();
        Png.WriteRgb(stream, 3, 2, new byte[18]);
        byte[] png = stream.ToArray();
        byte[] expectedStart =
        [
            0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A,
            0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R',
            0, 0, 0, 3, 0, 0, 0, 2, 8, 2, 0, 0, 0,
        ];
        Assert.Equal(expectedStart, png[..expectedStart.Length]);
    }

    [Fact]
    public void GrayPixelsSurviveTheRoundTrip()
    {
        var rng = new Rng(11);
        var pixels = new byte[37 * 23];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)rng.NextInt(256);

        var image = PngTestDecoder.Decode(Gray(37, 23, pixels));

        Assert.Equal((37, 23, (byte)0), (image.Width, image.Height, image.ColorType));
        Assert.Equal(["IHDR", "IDAT", "IEND"], image.ChunkTypes);
        Assert.Equal(pixels, image.Pixels);
    }

    [Fact]
    public void RgbPixelsSurviveTheRoundTripWithEveryFilter()
    {
        // A horizontal ramp favours Sub and a repeated row Up; bytes alternating 0, 64 after noise leave None the cheapest.
        const int width = 16, height = 6;
        var rgb = new byte[width * height * 3];
        var rng = new Rng(3);
        for (int x = 0; x < width * 3; x++)
        {
            rgb[x] = (byte)(x * 5);
            rgb[width * 3 + x] = (byte)(x * 5);
        }
        for (int i = 2 * width * 3; i < rgb.Length; i++) rgb[i] = (byte)rng.NextInt(256);
        for (int x = 0; x < width * 3; x++) rgb[(height - 1) * width * 3 + x] = (byte)(x % 2 * 64);

        using var stream = new MemoryStream();
        Png.WriteRgb(stream, width, height, rgb);
        var image = PngTestDecoder.Decode(stream.ToArray());

        Assert.Equal(2, image.ColorType);
        Assert.Equal(rgb, image.Pixels);
        Assert.Equal(1, image.Filters[0]);
        Assert.Equal(2, image.Filters[1]);
        Assert.Equal(0, image.Filters[height - 1]);
    }

    [Fact]
    public void FlatImagesCompressWell()
    {
        byte[] png = Gray(280, 280, new byte[280 * 280]);
        Assert.True(png.Length < 1000, $"{png.Length} bytes");
        Assert.Equal(new byte[280 * 280], PngTestDecoder.Decode(png).Pixels);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Gray(0, 1, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gray(1, -1, []));
        Assert.Throws<ArgumentException>(() => Gray(2, 2, new byte[3]));
        Assert.Throws<ArgumentException>(() => Png.WriteRgb(new MemoryStream(), 2, 2, new byte[4]));
        Assert.Throws<ArgumentException>(() => Png.WriteGray(new MemoryStream([], writable: false), 1, 1, [0]));
    }
}

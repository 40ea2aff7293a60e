using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using VaeSharp.Plotting;

namespace VaeSharp.Tests.Plotting;

/// <summary>
/// Just enough of a PNG decoder to check what <see cref="Png"/> writes: chunk order and CRCs, the header,
/// and the pixels after inflating and unfiltering (None, Sub and Up, the filters the encoder uses).
/// </summary>
internal static class PngTestDecoder
{
    public sealed record Image(int Width, int Height, byte ColorType, byte[] Pixels, List<string> ChunkTypes, byte[] Filters);

    public static Image Decode(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var types = new List<string>();
        byte[] header = [];
        using var idat = new MemoryStream();
        int position = 8;
        while (position < png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(position));
            string type = Encoding.ASCII.GetString(png, position + 4, 4);
            var typeAndData = png.AsSpan(position + 4, 4 + length);
            uint storedCrc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position + 8 + length));
            Assert.Equal(Crc32.Compute(typeAndData), storedCrc);
            types.Add(type);
            if (type == "IHDR") header = typeAndData[4..].ToArray();
            if (type == "IDAT") idat.Write(typeAndData[4..]);
            position += 12 + length;
        }
        Assert.Equal(png.Length, position);
        Assert.Equal("IHDR", types[0]);
        Assert.Equal("IEND", types[^1]);

        Assert.Equal(13, header.Length);
        int width = BinaryPrimitives.ReadInt32BigEndian(header);
        int height = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        Assert.Equal(8, header[8]);
        Assert.Equal(new byte[] { 0, 0, 0 }, header[10..]);
        byte colorType = header[9];
        int bytesPerPixel = colorType switch { 0 => 1, 2 => 3, _ => throw new InvalidDataException($"color type {colorType}") };

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress)) zlib.CopyTo(inflated);
        byte[] scanlines = inflated.ToArray();
        int rowLength = width * bytesPerPixel;
        Assert.Equal(height * (1 + rowLength), scanlines.Length);

        var pixels = new byte[height * rowLength];
        var filters = new byte[height];
        for (int y = 0; y < height; y++)
        {
            filters[y] = scanlines[y * (1 + rowLength)];
            for (int i = 0; i < rowLength; i++)
            {
                byte raw = scanlines[y * (1 + rowLength) + 1 + i];
                byte left = i >= bytesPerPixel ? pixels[y * rowLength + i - bytesPerPixel] : (byte)0;
                byte above = y > 0 ? pixels[(y - 1) * rowLength + i] : (byte)0;
                pixels[y * rowLength + i] = filters[y] switch
                {
                    0 => raw,
                    1 => (byte)(raw + left),
                    2 => (byte)(raw + above),
                    _ => throw new InvalidDataException($"filter {filters[y]}"),
                };
            }
        }
        return new Image(width, height, colorType, pixels, types, filters);
    }
}

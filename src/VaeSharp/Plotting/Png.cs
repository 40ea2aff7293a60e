using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace VaeSharp.Plotting;

/// <summary>
/// A minimal PNG encoder for 8-bit grayscale and RGB images: the signature, IHDR, one IDAT holding a zlib stream of
/// filtered scanlines, and IEND, each chunk with its CRC-32.
/// </summary>
public static class Png
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private const byte ColorTypeGray = 0;
    private const byte ColorTypeRgb = 2;

    private const byte FilterNone = 0;
    private const byte FilterSub = 1;
    private const byte FilterUp = 2;

    /// <summary>Writes an 8-bit grayscale image.</summary>
    /// <param name="destination">Where the PNG goes; it is not flushed or closed.</param>
    /// <param name="width">Pixels per row, at least 1.</param>
    /// <param name="height">Rows, at least 1.</param>
    /// <param name="pixels">(height, width) bytes, row-major, 0 black to 255 white.</param>
    public static void WriteGray(Stream destination, int width, int height, ReadOnlySpan<byte> pixels) =>
        Write(destination, width, height, pixels, ColorTypeGray, bytesPerPixel: 1);

    /// <summary>Writes an 8-bit RGB image.</summary>
    /// <param name="destination">Where the PNG goes; it is not flushed or closed.</param>
    /// <param name="width">Pixels per row, at least 1.</param>
    /// <param name="height">Rows, at least 1.</param>
    /// <param name="rgb">(height, width, 3) bytes, row-major, red then green then blue.</param>
    public static void WriteRgb(Stream destination, int width, int height, ReadOnlySpan<byte> rgb) =>
        Write(destination, width, height, rgb, ColorTypeRgb, bytesPerPixel: 3);

    private static void Write(Stream destination, int width, int height, ReadOnlySpan<byte> pixels, byte colorType, int bytesPerPixel)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite) throw new ArgumentException("the destination stream is not writable", nameof(destination));
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        long rowLength = (long)width * bytesPerPixel;
        // A scanline carries one extra filter byte and must still be addressable as a span.
        if (rowLength + 1 > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(width), $"rows of {width} pixels are too long");
        if (pixels.Length != rowLength * height)
            throw new ArgumentException($"{pixels.Length} bytes do not fill a {width}x{height} image of {bytesPerPixel} bytes per pixel", nameof(pixels));

        destination.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bit depth
        header[9] = colorType;
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method: adaptive
        header[12] = 0; // no interlace
        WriteChunk(destination, "IHDR", header);
        WriteChunk(destination, "IDAT", Compress(pixels, (int)rowLength, height, bytesPerPixel));
        WriteChunk(destination, "IEND", []);
    }

    private static byte[] Compress(ReadOnlySpan<byte> pixels, int rowLength, int height, int bytesPerPixel)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            // scanline, candidates: (1 + rowLength) each — the filter byte then the filtered row
            var sub = new byte[1 + rowLength];
            var up = new byte[1 + rowLength];
            var none = new byte[1 + rowLength];
            for (int y = 0; y < height; y++)
            {
                var row = pixels.Slice(y * rowLength, rowLength);
                var previous = y == 0 ? ReadOnlySpan<byte>.Empty : pixels.Slice((y - 1) * rowLength, rowLength);
                none[0] = FilterNone;
                row.CopyTo(none.AsSpan(1));
                FilterRow(row, previous, bytesPerPixel, sub, up);
                zlib.Write(ChooseFilter(none, sub, up));
            }
        }
        return compressed.ToArray();
    }

    /// <summary>Fills the Sub and Up candidates; the row above the first is taken as zeros, as the PNG spec says.</summary>
    private static void FilterRow(ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int bytesPerPixel, byte[] sub, byte[] up)
    {
        sub[0] = FilterSub;
        up[0] = FilterUp;
        for (int i = 0; i < row.Length; i++)
        {
            byte left = i >= bytesPerPixel ? row[i - bytesPerPixel] : (byte)0;
            byte above = previous.IsEmpty ? (byte)0 : previous[i];
            sub[1 + i] = (byte)(row[i] - left);
            up[1 + i] = (byte)(row[i] - above);
        }
    }

    /// <summary>
    /// The libpng heuristic: the candidate whose bytes, read as signed, have the smallest absolute sum
    /// usually compresses best. Flat backgrounds and repeated rows become runs of zeros.
    /// </summary>
    private static byte[] ChooseFilter(byte[] none, byte[] sub, byte[] up)
    {
        byte[] best = none;
        long bestScore = Score(none);
        foreach (var candidate in (byte[][])[sub, up])
        {
            long score = Score(candidate);
            if (score < bestScore) (best, bestScore) = (candidate, score);
        }
        return best;
    }

    private static long Score(byte[] scanline)
    {
        long sum = 0;
        for (int i = 1; i < scanline.Length; i++) sum += Math.Abs((int)(sbyte)scanline[i]);
        return sum;
    }

    private static void WriteChunk(Stream destination, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> typeBytes = stackalloc byte[4];
        Encoding.ASCII.GetBytes(type, typeBytes);
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        destination.Write(word);
        destination.Write(typeBytes);
        destination.Write(data);
        // The CRC covers the type and the data, not the length.
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Finish(Crc32.Append(Crc32.Append(Crc32.Start, typeBytes), data)));
        destination.Write(word);
    }
}

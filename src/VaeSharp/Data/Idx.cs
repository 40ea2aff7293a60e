using System.Buffers.Binary;
using System.IO.Compression;
using VaeSharp.IO;

namespace VaeSharp.Data;

/// <summary>
/// Reads and writes IDX files, the format of the original MNIST distribution: a big-endian header (magic number,
/// then one 32-bit size per dimension) followed by the unsigned bytes. Files may be plain or gzip'd; gzip is
/// recognised by its magic bytes, whatever the file is called. Every problem is a <see cref="DataFormatException"/>
/// naming the file, found from the header before any large buffer is allocated.
/// </summary>
public static class Idx
{
    /// <summary>Magic number of an image file: unsigned bytes, three dimensions (count, rows, cols).</summary>
    public const uint ImageMagic = 0x00000803;

    /// <summary>Magic number of a label file: unsigned bytes, one dimension (count).</summary>
    public const uint LabelMagic = 0x00000801;

    // Deflate cannot expand its input by more than about 1032:1, so a gzip'd file claiming more than this many
    // bytes per compressed byte is lying; refusing it up front keeps a tiny file from causing a huge allocation.
    private const long MaxDeflateExpansion = 1032;

    /// <summary>Reads an image file and, if given, its label file, and checks that their counts agree.</summary>
    /// <param name="imagesPath">An IDX image file (magic 0x00000803), plain or gzip'd.</param>
    /// <param name="labelsPath">An IDX label file (magic 0x00000801), plain or gzip'd; null for unlabelled data.</param>
    public static Dataset ReadImagesAndLabels(string imagesPath, string? labelsPath)
    {
        Dataset images = ReadImages(imagesPath);
        if (labelsPath is null) return images;
        byte[] labels = ReadLabels(labelsPath);
        if (labels.Length != images.Count)
            throw new DataFormatException(labelsPath,
                $"label count {labels.Length} does not match image count {images.Count} in {Path.GetFileName(imagesPath)}");
        return new Dataset(images.Pixels, labels, images.Count, images.Rows, images.Cols, images.Source);
    }

    /// <summary>Reads an IDX image file into an unlabelled <see cref="Dataset"/>.</summary>
    public static Dataset ReadImages(string path)
    {
        using var file = OpenRead(path);
        return ReadImages(file, path);
    }

    /// <summary>Reads an IDX image file from a seekable stream at its start; <paramref name="path"/> names it in errors.</summary>
    internal static Dataset ReadImages(Stream file, string path)
    {
        var (dimensions, body) = Read(file, path, ImageMagic, "image");
        long imageSize = (long)dimensions[1] * dimensions[2];
        if (imageSize == 0 || imageSize > Array.MaxLength)
            throw new DataFormatException(path, $"image size {dimensions[1]}×{dimensions[2]} is empty or too large");
        return new Dataset(body, null, dimensions[0], dimensions[1], dimensions[2], path);
    }

    /// <summary>Reads an IDX label file: one byte per item.</summary>
    public static byte[] ReadLabels(string path)
    {
        using var file = OpenRead(path);
        return ReadLabels(file, path);
    }

    /// <summary>Reads an IDX label file from a seekable stream at its start; <paramref name="path"/> names it in errors.</summary>
    internal static byte[] ReadLabels(Stream file, string path) => Read(file, path, LabelMagic, "label").Body;

    /// <summary>Writes an IDX image file, gzip'd when <paramref name="path"/> ends in <c>.gz</c>. For tests and tools.</summary>
    internal static void WriteImages(string path, byte[] pixels, int count, int rows, int cols)
    {
        if ((Int128)count * rows * cols != pixels.LongLength)
            throw new ArgumentException($"pixels has {pixels.Length} bytes, expected {count}·{rows}·{cols}", nameof(pixels));
        Write(path, ImageMagic, [count, rows, cols], pixels);
    }

    /// <summary>Writes an IDX label file, gzip'd when <paramref name="path"/> ends in <c>.gz</c>. For tests and tools.</summary>
    internal static void WriteLabels(string path, byte[] labels) => Write(path, LabelMagic, [labels.Length], labels);

    private static void Write(string path, uint magic, int[] dimensions, byte[] body)
    {
        var header = new byte[4 + 4 * dimensions.Length];
        BinaryPrimitives.WriteUInt32BigEndian(header, magic);
        for (int i = 0; i < dimensions.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), dimensions[i]);
        bool gzip = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        AtomicFile.Write(path, stream =>
        {
            if (!gzip)
            {
                stream.Write(header);
                stream.Write(body);
                return;
            }
            using var compressor = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true);
            compressor.Write(header);
            compressor.Write(body);
        });
    }

    private static FileStream OpenRead(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);

    private static (int[] Dimensions, byte[] Body) Read(Stream file, string path, uint expectedMagic, string kind)
    {
        long fileLength = file.Length;
        bool gzip = IsGzip(file);
        using var decompressor = gzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: true) : null;
        try
        {
            return ReadFrom(decompressor ?? file, path, fileLength, gzip, expectedMagic, kind);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, $"corrupt gzip stream: {e.Message}", e);
        }
    }

    private static (int[] Dimensions, byte[] Body) ReadFrom(
        Stream input, string path, long fileLength, bool gzip, uint expectedMagic, string kind)
    {
        int dimensionCount = expectedMagic == ImageMagic ? 3 : 1;
        var header = new byte[4 + 4 * dimensionCount];
        int headerRead = input.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (headerRead < 4)
            throw new DataFormatException(path, $"not an IDX {kind} file: only {headerRead} bytes, too short for a header");
        uint magic = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (magic != expectedMagic)
            throw new DataFormatException(path, $"not an IDX {kind} file: magic 0x{magic:X8}, expected 0x{expectedMagic:X8}");
        if (headerRead < header.Length)
            throw new DataFormatException(path, $"truncated IDX {kind} header: {headerRead} of {header.Length} bytes");

        var dimensions = new int[dimensionCount];
        UInt128 bodyLength = 1;
        for (int i = 0; i < dimensionCount; i++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4 + 4 * i));
            if (size > int.MaxValue)
                throw new DataFormatException(path, $"IDX dimension {i} is {size}, larger than {int.MaxValue}");
            dimensions[i] = (int)size;
            bodyLength *= size; // at most three factors below 2^31: cannot overflow 128 bits
        }
        string claim = $"header {string.Join('×', dimensions)} needs {bodyLength} data bytes";
        if (bodyLength > (UInt128)Array.MaxLength)
            throw new DataFormatException(path, $"{claim}, more than one array can hold");
        long expectedBody = (long)bodyLength;
        if (!gzip && fileLength != header.Length + expectedBody)
            throw new DataFormatException(path,
                $"length mismatch: file has {fileLength} bytes, {claim} plus a {header.Length}-byte header");
        if (gzip && expectedBody > fileLength * MaxDeflateExpansion)
            throw new DataFormatException(path, $"{claim}, more than a {fileLength}-byte gzip file can hold");

        var body = new byte[expectedBody];
        int bodyRead = input.ReadAtLeast(body, body.Length, throwOnEndOfStream: false);
        if (bodyRead < body.Length)
            throw new DataFormatException(path, $"truncated: {claim}, the data has only {bodyRead}");
        if (gzip && input.ReadByte() >= 0)
            throw new DataFormatException(path, $"length mismatch: {claim}, the decompressed data is longer");
        return (dimensions, body);
    }

    /// <summary>Whether the stream starts with the gzip magic bytes 1f 8b; leaves it at its start.</summary>
    private static bool IsGzip(Stream file)
    {
        Span<byte> magic = stackalloc byte[2];
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }
}

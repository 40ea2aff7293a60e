using System.Buffers.Binary;
using System.Runtime.InteropServices;
using VaeSharp.Tensors;

namespace VaeSharp.IO;

/// <summary>
/// Reads float32 safetensors files. Every length and offset in the header is checked against the size of the
/// file before any tensor is allocated, and every malformed input is reported as a
/// <see cref="SafetensorsFormatException"/> naming the source.
/// </summary>
/// <remarks>
/// A scalar (shape <c>[]</c>) is read as a rank-0 tensor of one element. A dimension of 0 is rejected,
/// because a <see cref="Shape"/> cannot hold it. Only the F32 dtype is read; the others are rejected by name.
/// </remarks>
public static class SafetensorsReader
{
    /// <summary>The largest header accepted, in bytes; the limit of the reference implementation.</summary>
    public const long MaxHeaderLength = 100_000_000;

    /// <summary>Reads the file at <paramref name="path"/>; error messages name the path.</summary>
    /// <exception cref="SafetensorsFormatException">The file is not a valid F32 safetensors file.</exception>
    public static SafetensorsFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return Read(stream, path);
    }

    /// <summary>
    /// Reads a file from <paramref name="source"/>, from its current position to its end. The stream must be
    /// seekable, because its length is what bounds every allocation.
    /// </summary>
    /// <param name="source">A readable, seekable stream positioned at the start of the file.</param>
    /// <param name="sourceName">The name used in error messages, usually the file path.</param>
    /// <exception cref="SafetensorsFormatException">The contents are not a valid F32 safetensors file.</exception>
    public static SafetensorsFile Read(Stream source, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (!source.CanRead || !source.CanSeek)
            throw new ArgumentException("the source stream must be readable and seekable", nameof(source));

        long fileLength = source.Length - source.Position;
        if (fileLength < sizeof(ulong))
            throw new SafetensorsFormatException(sourceName, $"the file is {fileLength} bytes, too short for the 8-byte header length");
        try
        {
            Span<byte> lengthPrefix = stackalloc byte[sizeof(ulong)];
            source.ReadExactly(lengthPrefix);
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthPrefix);
            if (headerLength > MaxHeaderLength)
                throw new SafetensorsFormatException(sourceName, $"the header length {headerLength} exceeds the limit of {MaxHeaderLength} bytes");
            long dataLength = fileLength - sizeof(ulong) - (long)headerLength;
            if (dataLength < 0)
                throw new SafetensorsFormatException(sourceName, $"the header length {headerLength} runs past the end of the {fileLength}-byte file");

            var header = new byte[headerLength];
            source.ReadExactly(header);
            var (metadata, entries) = SafetensorsHeader.Parse(header, dataLength, sourceName);
            return new SafetensorsFile(ReadTensors(source, entries), metadata);
        }
        catch (EndOfStreamException exception)
        {
            // Only a stream whose Length overstates its contents gets here; the header checks cover honest ones.
            throw new SafetensorsFormatException(sourceName, "the file ended before its declared length", exception);
        }
    }

    private static List<(string Name, Tensor Tensor)> ReadTensors(Stream source, List<SafetensorsEntry> entries)
    {
        long dataStart = source.Position;
        var tensors = new List<(string Name, Tensor Tensor)>(entries.Count);
        foreach (var entry in entries)
        {
            var shape = new Shape(entry.Dims);
            var values = new float[shape.Size];
            source.Position = dataStart + entry.Begin;
            source.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
            if (!BitConverter.IsLittleEndian)
            {
                var words = MemoryMarshal.Cast<float, uint>(values.AsSpan());
                BinaryPrimitives.ReverseEndianness(words, words);
            }
            tensors.Add((entry.Name, new Tensor(shape, values)));
        }
        return tensors;
    }
}

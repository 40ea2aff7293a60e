using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using VaeSharp.Tensors;

namespace VaeSharp.IO;

/// <summary>
/// Writes float32 tensors in the safetensors format: an 8-byte little-endian header length N,
/// N bytes of JSON padded with spaces to a multiple of 8, then the raw little-endian data.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>The header key that holds the string-to-string metadata map.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>
    /// Writes <paramref name="tensors"/> (data contiguous, in the order given) and the optional
    /// <paramref name="metadata"/> to <paramref name="destination"/>. The caller owns the stream and
    /// makes the write atomic; nothing is flushed or closed here.
    /// </summary>
    /// <exception cref="ArgumentException">A name is empty, repeated or reserved.</exception>
    public static void Write(
        Stream destination,
        IReadOnlyList<(string Name, Tensor Tensor)> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(tensors);
        if (!destination.CanWrite) throw new ArgumentException("the destination stream is not writable", nameof(destination));
        ValidateNames(tensors);

        byte[] header = BuildHeader(tensors, metadata);
        Span<byte> lengthPrefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(lengthPrefix, (ulong)header.Length);
        destination.Write(lengthPrefix);
        destination.Write(header);
        foreach (var (_, tensor) in tensors) WriteLittleEndian(destination, tensor.Span);
    }

    private static void ValidateNames(IReadOnlyList<(string Name, Tensor Tensor)> tensors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("a tensor name is empty", nameof(tensors));
            if (name == MetadataKey) throw new ArgumentException($"'{MetadataKey}' is reserved for metadata", nameof(tensors));
            if (!seen.Add(name)) throw new ArgumentException($"tensor name '{name}' appears twice", nameof(tensors));
        }
    }

    private static byte[] BuildHeader(IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // Relaxed escaping keeps non-ASCII names and JSON-in-metadata readable; the header is never embedded in HTML.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                long end = offset + (long)tensor.Size * sizeof(float);
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int dim in tensor.Shape.Dims) json.WriteNumberValue(dim);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
                offset = end;
            }
            json.WriteEndObject();
        }
        // Padding to a multiple of 8 keeps the data section 8-byte aligned for readers that map the file.
        int paddedLength = (buffer.WrittenCount + 7) / 8 * 8;
        var header = new byte[paddedLength];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static void WriteLittleEndian(Stream destination, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            destination.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        Span<byte> word = stackalloc byte[4];
        foreach (float value in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(word, value);
            destination.Write(word);
        }
    }
}

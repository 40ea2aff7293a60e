using System.Buffers.Binary;
using System.Text;
using VaeSharp.IO;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.IO;

/// <summary>Builds safetensors bytes by hand, so tests can state exactly what is on disk.</summary>
internal static class SafetensorsTestFiles
{
    /// <summary>The 8-byte length, <paramref name="headerJson"/> as UTF-8 (unpadded), then <paramref name="data"/>.</summary>
    public static byte[] Raw(string headerJson, byte[] data) => Raw(Encoding.UTF8.GetBytes(headerJson), data);

    public static byte[] Raw(byte[] header, byte[] data) => WithLength((ulong)header.Length, [.. header, .. data]);

    /// <summary>An arbitrary 8-byte length prefix followed by <paramref name="rest"/>.</summary>
    public static byte[] WithLength(ulong headerLength, byte[] rest)
    {
        var bytes = new byte[8 + rest.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLength);
        rest.CopyTo(bytes, 8);
        return bytes;
    }

    public static byte[] Write(IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        using var stream = new MemoryStream();
        SafetensorsWriter.Write(stream, tensors, metadata);
        return stream.ToArray();
    }

    public static SafetensorsFile Read(byte[] bytes, string sourceName = "test.safetensors") =>
        SafetensorsReader.Read(new MemoryStream(bytes, writable: false), sourceName);

    /// <summary>Reads and returns the message of the format error that must follow.</summary>
    public static string Reject(byte[] bytes, string sourceName = "test.safetensors")
    {
        var error = Assert.Throws<SafetensorsFormatException>(() => Read(bytes, sourceName));
        Assert.EndsWith($" ({sourceName})", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        return error.Message;
    }
}

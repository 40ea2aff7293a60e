using System.Text;

namespace VaeSharp.Data;

/// <summary>
/// A table file's text, read whole and decoded strictly: UTF-8 (a byte-order mark kept as U+FEFF, so that writing the
/// text back keeps it), or UTF-16 by its byte-order mark. The file is read into one buffer of its own length, half the
/// peak memory of a reader that grows one, and refused past <see cref="MaxBytes"/>, when it holds a NUL byte (a binary
/// file, or /dev/zero) or when it is not valid UTF-8, which would otherwise come back with U+FFFD in place of its bytes.
/// </summary>
internal static class TableText
{
    /// <summary>The most bytes a table file may hold: the longest string .NET can make, 2³⁰ − 33 characters, as UTF-8 never has more characters than bytes.</summary>
    public const int MaxBytes = 0x3FFF_FFDF;

    /// <summary>The text of the file at <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">The file is too long, binary, or not UTF-8 (nor UTF-16 with its mark).</exception>
    public static string Read(string path)
    {
        var (bytes, length) = ReadBytes(path);
        var span = bytes.AsSpan(0, length);
        try
        {
            return span switch
            {
                [0xFF, 0xFE, ..] => new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true).GetString(span[2..]),
                [0xFE, 0xFF, ..] => new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true).GetString(span[2..]),
                _ => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(span),
            };
        }
        catch (DecoderFallbackException) when (StartsWithUtf16Mark(span))
        {
            throw new DataFormatException(path, "the file starts with a UTF-16 byte-order mark but is not valid UTF-16 text; save it as UTF-8");
        }
        catch (DecoderFallbackException)
        {
            int at = FirstInvalidUtf8(span);
            throw new DataFormatException(path, $"line {LineOf(span, at)} is not UTF-8 text (byte 0x{span[at]:X2} at offset {at}); save the file as UTF-8");
        }
    }

    /// <summary>The file's bytes in a buffer and how many of them there are; NUL bytes refused outside UTF-16.</summary>
    private static (byte[] Bytes, int Length) ReadBytes(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        long size = stream.CanSeek ? stream.Length : 0; // 0 for a pipe or a device: read to the end all the same
        if (size > MaxBytes) throw TooLong(path);
        var bytes = new byte[Math.Max(size + 1, 1 << 16)]; // one more than the size, to see the end without a copy
        int length = 0;
        bool? utf16 = null; // known once two bytes are in: a pipe may deliver one at a time
        while (true)
        {
            if (length == bytes.Length)
            {
                if (length > MaxBytes) throw TooLong(path);
                Array.Resize(ref bytes, (int)Math.Min(2L * length, MaxBytes + 1L));
            }
            int read = stream.Read(bytes, length, bytes.Length - length);
            if (read == 0) break;
            int start = length;
            length += read;
            if (utf16 is null && length >= 2) utf16 = StartsWithUtf16Mark(bytes);
            if (utf16 != true && Array.IndexOf(bytes, (byte)0, start, read) is var nul and >= 0)
                throw new DataFormatException(path, $"line {LineOf(bytes.AsSpan(0, nul), nul)} holds a NUL byte (offset {nul}): this is not a text table");
        }
        if (length > MaxBytes) throw TooLong(path);
        return (bytes, length);
    }

    /// <summary>Whether the bytes open with a UTF-16 byte-order mark, little- or big-endian.</summary>
    private static bool StartsWithUtf16Mark(ReadOnlySpan<byte> bytes) => bytes is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..];

    private static DataFormatException TooLong(string path) =>
        new(path, $"the file is longer than {MaxBytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} bytes (just under 1 GiB, the longest text .NET holds), the most impute-csv reads");

    /// <summary>The offset of the first byte that does not start or continue a valid UTF-8 sequence.</summary>
    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        int at = 0;
        while (at < bytes.Length && Rune.DecodeFromUtf8(bytes[at..], out _, out int consumed) == System.Buffers.OperationStatus.Done) at += consumed;
        return Math.Min(at, bytes.Length - 1);
    }

    /// <summary>The 1-based line of byte <paramref name="at"/>.</summary>
    private static int LineOf(ReadOnlySpan<byte> bytes, int at) => bytes[..Math.Min(at, bytes.Length)].Count((byte)'\n') + 1;
}

namespace VaeSharp.Plotting;

/// <summary>
/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as PNG chunks use it. Written here because
/// System.IO.Hashing is not among our dependencies.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int bit = 0; bit < 8; bit++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    /// <summary>The register value before any byte; continue with <see cref="Append"/>, end with <see cref="Finish"/>.</summary>
    public const uint Start = 0xFFFFFFFFu;

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Start, data));

    /// <summary>Feeds <paramref name="data"/> into a running register, so a chunk's type and data need not be copied together.</summary>
    public static uint Append(uint register, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) register = Table[(register ^ b) & 0xFF] ^ (register >> 8);
        return register;
    }

    /// <summary>The checksum of a running register.</summary>
    public static uint Finish(uint register) => register ^ 0xFFFFFFFFu;
}

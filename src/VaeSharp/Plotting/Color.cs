namespace VaeSharp.Plotting;

/// <summary>An opaque 8-bit RGB colour.</summary>
/// <param name="R">Red, 0..255.</param>
/// <param name="G">Green, 0..255.</param>
/// <param name="B">Blue, 0..255.</param>
public readonly record struct Color(byte R, byte G, byte B)
{
    /// <summary>The colour from a 0xRRGGBB number, as CSS and matplotlib write it.</summary>
    public static Color FromHex(int rgb) => new((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);

    /// <summary>This colour as CSS writes it: <c>#rrggbb</c>.</summary>
    public string ToHex() => $"#{R:x2}{G:x2}{B:x2}";

    /// <summary>This colour mixed with <paramref name="other"/>: 0 keeps this colour, 1 gives the other.</summary>
    public Color Mix(Color other, float amount) => new(
        MixChannel(R, other.R, amount), MixChannel(G, other.G, amount), MixChannel(B, other.B, amount));

    private static byte MixChannel(byte from, byte to, float amount) =>
        (byte)MathF.Round(from + (to - from) * Math.Clamp(amount, 0f, 1f));
}

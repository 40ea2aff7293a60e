namespace VaeSharp.Plotting;

/// <summary>
/// A small built-in bitmap font covering printable ASCII (32..126), drawn in our own 5×9 cells: seven rows from the
/// cap height to the baseline, then two for descenders. It reads well at scale 1 and stays crisp when enlarged by an
/// integer factor, so figures need no font files or imaging library.
/// </summary>
/// <remarks>
/// Characters outside the font are drawn as <c>?</c>, except the Unicode minus sign (U+2212), which is drawn as the
/// hyphen-minus it looks like.
/// </remarks>
public static class BitmapFont
{
    /// <summary>Columns of one glyph at scale 1.</summary>
    public const int GlyphWidth = 5;

    /// <summary>Rows of one glyph at scale 1, descenders included.</summary>
    public const int GlyphHeight = 9;

    /// <summary>Rows from the top of a capital to the baseline at scale 1.</summary>
    public const int CapHeight = 7;

    /// <summary>Horizontal distance from one glyph to the next at scale 1: the glyph and one column of space.</summary>
    public const int Advance = GlyphWidth + 1;

    /// <summary>Vertical distance between lines of text at scale 1.</summary>
    public const int LineHeight = GlyphHeight + 2;

    private const char First = ' ';
    private const char Last = '~';

    // Nine bytes per glyph, one per row from the top, in hex; bit 4 is the leftmost column. Glyph k is character 32 + k.
    private static readonly byte[] Rows = Convert.FromHexString(
        "0000000000000000000404040404000400000A0A000000000000000A0A1F0A1F0A0A0000040F140E051E0400001819020408130300000C12140815120D0000040400000000000000" +
        "0204080808040200000804020202040800000004150E15040000000004041F04040000000000000000060602040000001F000000000000000000000C0C0000010102040810100000" +
        "0E11131519110E0000040C040404040E00000E11010204081F00001F02040201110E000002060A121F020200001F101E0101110E00000608101E11110E00001F0102040808080000" +
        "0E11110E11110E00000E11110F01020C0000000C0C000C0C000000000C0C000C0C04080002040810080402000000001F001F000000000804020102040800000E1101020400040000" +
        "0E11171517100E00000E11111F11111100001E11111E11111E00000E11101010110E00001C12111111121C00001F10101E10101F00001F10101E10101000000E11101711110F0000" +
        "1111111F11111100000E04040404040E00000702020202120C00001112141814121100001010101010101F0000111B151511111100001111191513111100000E11111111110E0000" +
        "1E11111E10101000000E11111115120D00001E11111E14121100000F10100E01011E00001F04040404040400001111111111110E000011111111110A0400001111111515150A0000" +
        "11110A040A1111000011110A0404040400001F01020408101F00000E08080808080E00001010080402010100000E02020202020E0000040A110000000000000000000000001F0000" +
        "08040000000000000000000E010F110F000010101E1111111E000000000E1010110E000001010F1111110F000000000E111F100E00000609081C080808000000000F1111110F010E" +
        "10101619111111000004000C0404040E000002000602020202120C1010121418141200000C04040404040E000000001A15151515000000001619111111000000000E1111110E0000" +
        "00001E1111111E101000000F1111110F010100001619101010000000000F100E011E000008081C0808090600000000111111130D000000001111110A0400000000111115150A0000" +
        "0000110A040A1100000000111111110F010E00001F0204081F0000030404080404030000040404040404040000180404020404180000000008150200000000");

    /// <summary>Whether <paramref name="character"/> has its own glyph (else it is drawn as <c>?</c>).</summary>
    public static bool Covers(char character) => character is >= First and <= Last or '\u2212';

    /// <summary>Whether the glyph of <paramref name="character"/> sets the pixel at (<paramref name="column"/>, <paramref name="row"/>) at scale 1.</summary>
    /// <param name="character">Any character; uncovered ones read as <c>?</c>.</param>
    /// <param name="column">0 to <see cref="GlyphWidth"/> − 1, from the left.</param>
    /// <param name="row">0 to <see cref="GlyphHeight"/> − 1, from the top.</param>
    public static bool IsSet(char character, int column, int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, GlyphWidth);
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, GlyphHeight);
        char glyph = character == '\u2212' ? '-' : Covers(character) ? character : '?';
        return (Rows[(glyph - First) * GlyphHeight + row] >> (GlyphWidth - 1 - column) & 1) != 0;
    }

    /// <summary>The width in pixels of <paramref name="text"/> drawn on one line at <paramref name="scale"/>, without trailing space.</summary>
    public static int MeasureWidth(string text, int scale = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        return text.Length == 0 ? 0 : (text.Length * Advance - 1) * scale;
    }
}

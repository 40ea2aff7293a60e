using VaeSharp.Plotting;

namespace VaeSharp.Tests.Plotting;

public class BitmapFontTests
{
    private static string Bits(char character)
    {
        var bits = new char[BitmapFont.GlyphWidth * BitmapFont.GlyphHeight];
        for (int row = 0; row < BitmapFont.GlyphHeight; row++)
            for (int column = 0; column < BitmapFont.GlyphWidth; column++)
                bits[row * BitmapFont.GlyphWidth + column] = BitmapFont.IsSet(character, column, row) ? '#' : '.';
        return new string(bits);
    }

    [Fact]
    public void CoversPrintableAsciiWithDistinctVisibleGlyphs()
    {
        var seen = new Dictionary<string, char>();
        for (char character = '!'; character <= '~'; character++)
        {
            Assert.True(BitmapFont.Covers(character), $"'{character}'");
            string bits = Bits(character);
            Assert.Contains('#', bits);
            Assert.False(seen.TryGetValue(bits, out char twin), $"'{character}' looks exactly like '{twin}'");
            seen[bits] = character;
        }
        Assert.True(BitmapFont.Covers(' '));
        Assert.DoesNotContain('#', Bits(' '));
    }

    [Fact]
    public void OnlyDescendersReachBelowTheBaseline()
    {
        for (char character = ' '; character <= '~'; character++)
        {
            bool below = Enumerable.Range(0, BitmapFont.GlyphWidth).Any(column =>
                BitmapFont.IsSet(character, column, BitmapFont.CapHeight) || BitmapFont.IsSet(character, column, BitmapFont.CapHeight + 1));
            Assert.Equal("gjpqy,;".Contains(character), below);
        }
    }

    [Fact]
    public void MinusSignLooksLikeHyphenAndUnknownCharactersLikeQuestionMark()
    {
        Assert.Equal(Bits('-'), Bits('\u2212'));
        Assert.Equal(Bits('?'), Bits('\u00e9'));
        Assert.False(BitmapFont.Covers('\u00e9'));
    }

    [Fact]
    public void MeasuresWithoutTrailingSpace()
    {
        Assert.Equal(0, BitmapFont.MeasureWidth(""));
        Assert.Equal(5, BitmapFont.MeasureWidth("A"));
        Assert.Equal(2 * (3 * 6 - 1), BitmapFont.MeasureWidth("abc", 2));
    }
}

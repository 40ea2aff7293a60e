using VaeSharp.Data;

namespace VaeSharp.Tests.Data;

public class BoundedLineReaderTests
{
    private static List<string> Lines(Func<string?> next)
    {
        var lines = new List<string>();
        while (next() is { } line) lines.Add(line);
        return lines;
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("a\n")]
    [InlineData("a\r\nb\rc\n\nd")]
    [InlineData("\r\n\r\n")]
    [InlineData("x\r")]
    public void SplitsAsReadLineDoes(string text)
    {
        var expected = new StringReader(text);
        var bounded = new BoundedLineReader(new StringReader(text), 100);
        Assert.Equal(Lines(expected.ReadLine), Lines(bounded.ReadLine));
    }

    [Fact]
    public void ACarriageReturnAtTheEndOfOneBufferAndItsNewlineAtTheStartOfTheNextEndOneLine()
    {
        // The reader fills 65,536 characters at a time: put the \r last in the first fill and the \n first in the next.
        string text = new string('a', 65_535) + "\r\nb\n";
        var bounded = new BoundedLineReader(new StringReader(text), 70_000);
        Assert.Equal([new string('a', 65_535), "b"], Lines(bounded.ReadLine));
    }

    [Fact]
    public void ALineLongerThanTheLimitIsRefusedBeforeItIsHeld()
    {
        var bounded = new BoundedLineReader(new StringReader("short\n" + new string('x', 1000)), 999);
        Assert.Equal("short", bounded.ReadLine());
        Assert.Contains("longer than 999 characters", Assert.Throws<InvalidDataException>(() => bounded.ReadLine()).Message);
    }
}

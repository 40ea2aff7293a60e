using VaeSharp.Data;

namespace VaeSharp.Tests.Data;

public class TabularCsvTests
{
    [Fact]
    public void ReadsNumericColumnsWithBlankNaAndNaNAsMissing()
    {
        var table = TabularCsv.Parse("a,b,c\n1,,x\nNA,2.5,y\n3,NaN,z\n", "t.csv");
        Assert.Equal(["a", "b", "c"], table.Header);
        Assert.Equal([0, 1], table.NumericColumns);
        Assert.Equal([1, 0, 0, 1, 1, 0], table.Mask);
        Assert.Equal(2.5f, table.Values[3]);
        Assert.Contains("'c'", Assert.Single(table.Warnings));
    }

    [Fact]
    public void ColumnKindsComeFromTheObservedCells()
    {
        var table = TabularCsv.Parse("n,r,cat,name\n4,1.5,red,Ann\n6,,blue,Bob\n,2,red,Cy\n8,3,,Di\n4,1,blue,\n", "k.csv");
        Assert.Equal([ColumnKind.Integer, ColumnKind.Real, ColumnKind.Categorical, ColumnKind.Text], table.Kinds);
        Assert.Equal([0, 1], table.NumericColumns);
        Assert.Equal([2], table.CategoricalColumns);
        Assert.Equal(["blue", "red"], table.Levels[0]);
        Assert.Equal([1, 0, 1, -1, 0], table.Codes);
        Assert.Contains("column 'name' is free text", Assert.Single(table.Warnings));
    }

    [Fact]
    public void ACategorySeenOnceIsKeptWithAWarning()
    {
        var table = TabularCsv.Parse("x,c\n1,a\n2,a\n3,b\n4,b\n5,z\n6,\n7,a\n8,b\n", "once.csv");
        Assert.Equal(ColumnKind.Categorical, table.Kinds[1]);
        Assert.Equal(["a", "b", "z"], table.Levels[0]);
        Assert.Contains("seen only once ('z')", Assert.Single(table.Warnings));
    }

    [Fact]
    public void TooManyColumnsIsAClearError()
    {
        var header = string.Join(',', Enumerable.Range(0, 10_000).Select(i => $"c{i}"));
        var row = string.Join(',', Enumerable.Repeat("1", 10_000));
        var error = Assert.Throws<DataFormatException>(() => TabularCsv.Parse($"{header}\n{row}\n", "wide.csv"));
        Assert.Contains($"10000 columns; impute-csv reads at most {TabularCsv.MaxColumns}", error.Message);
    }

    [Fact]
    public void QuotedFieldsMayHoldCommasQuotesAndNewlines()
    {
        var table = TabularCsv.Parse("\"name, full\",v\n\"Smith, \"\"J\"\"\",1\n\"two\nlines\",\"2\"\n", "q.csv");
        Assert.Equal(["name, full", "v"], table.Header);
        Assert.Equal(2, table.Rows);
        Assert.Equal([1f, 2f], table.Values);
        Assert.Equal([1], table.NumericColumns);
    }

    [Fact]
    public void AllMissingColumnIsAClearError()
    {
        var error = Assert.Throws<DataFormatException>(() => TabularCsv.Parse("a,b\n1,\n2,NA\n", "m.csv"));
        Assert.Contains("column 'b' has no observed value", error.Message);
        Assert.EndsWith("(m.csv)", error.Message);
    }

    [Fact]
    public void RaggedRowIsAnErrorWithItsLineNumber()
    {
        var error = Assert.Throws<DataFormatException>(() => TabularCsv.Parse("a,b\n1,2\n3\n4,5\n", "r.csv"));
        Assert.Contains("line 3 has 1 field but the header (line 1) has 2", error.Message);
        var quoted = Assert.Throws<DataFormatException>(() => TabularCsv.Parse("a,b\n\"x\ny\",2\n3,4,5\n", "r.csv"));
        Assert.Contains("line 4 has 3 fields", quoted.Message);
    }

    [Fact]
    public void UnclosedQuoteAndEmptyTableAreErrors()
    {
        Assert.Contains("a quoted field opened on line 2 never closes", Assert.Throws<DataFormatException>(() => TabularCsv.Parse("a\n\"1\n", "u.csv")).Message);
        Assert.Contains("the table is empty: no header row", Assert.Throws<DataFormatException>(() => TabularCsv.Parse("", "e.csv")).Message);
        Assert.Contains("the table has no numeric or categorical column", Assert.Throws<DataFormatException>(() => TabularCsv.Parse("a\nx\n", "n.csv")).Message);
    }

    [Fact]
    public void AnUnclosedQuoteIsReportedOnTheLineItOpens()
    {
        var error = Assert.Throws<DataFormatException>(() => TabularCsv.Parse("a,b\n1,2\n3,\"4\n5,6\n7,8\n", "u.csv"));
        Assert.Contains("a quoted field opened on line 3 never closes", error.Message);
    }

    [Fact]
    public void AHeaderWithoutRowsAndARepeatedColumnNameAreErrors()
    {
        Assert.Contains("the table has a header but no data rows", Assert.Throws<DataFormatException>(() => TabularCsv.Parse("a,b\n", "h.csv")).Message);
        var repeated = Assert.Throws<DataFormatException>(() => TabularCsv.Parse("a,b,a\n1,2,3\n", "d.csv"));
        Assert.Contains("columns 1 and 3 are both named 'a'", repeated.Message);
    }

    [Fact]
    public void EmptyLinesArePassedOverAndCopiedThrough()
    {
        const string text = "a,b\n1,2\n\n3,\n\n\n";
        var table = TabularCsv.Parse(text, "e.csv");
        Assert.Equal(2, table.Rows);
        Assert.Equal("a,b\n1,2\n\n3,9\n\n\n", table.WithNumericCells((row, k) => table.Mask[row * 2 + k] == 0, (_, _) => "9"));
        // Before the header too, with the lines still counted.
        var late = Assert.Throws<DataFormatException>(() => TabularCsv.Parse("\r\n\r\na,b\r\n1,2\r\n3\r\n", "late.csv"));
        Assert.Contains("line 5 has 1 field but the header (line 3) has 2", late.Message);
        // In a one-column table an empty line between rows is a blank cell; after the last row it is not a row.
        Assert.Equal([1, 0, 1], TabularCsv.Parse("a\n1\n\n3\n\n\n", "one.csv").Mask);
    }

    [Theory]
    [InlineData("inf", "'inf' on line 4 is not finite")]
    [InlineData("1e300", "'1e300' on line 4 is beyond the range of 32-bit floats")]
    [InlineData("oops", "'oops' on line 4 is not a number")]
    public void AMostlyNumericColumnReadAsTextNamesTheCellThatIsNotANumber(string token, string why)
    {
        var rows = Enumerable.Range(1, 30).Select(i => i == 3 ? $"{i},{token}" : i == 5 ? $"{i}," : $"{i},{i * 1.5}");
        var table = TabularCsv.Parse("x,y\n" + string.Join('\n', rows) + "\n", "t.csv");
        Assert.Equal(ColumnKind.Text, table.Kinds[1]);
        var warning = Assert.Single(table.Warnings);
        Assert.Contains("column 'y' is free text", warning);
        Assert.Contains($"though most of its values are numbers: {why}", warning);
        // A column of words says nothing about numbers.
        Assert.DoesNotContain("numbers", Assert.Single(TabularCsv.Parse("x,name\n1,Ann\n2,Bob\n3,Cy\n", "w.csv").Warnings));
    }

    [Fact]
    public void WholeNumbersBeyondWhatAFloatHoldsGetAWarning()
    {
        Assert.Contains("whole numbers beyond 16,777,216", Assert.Single(TabularCsv.Parse("id,v\n100000001,1\n100000003,2\n,3\n", "big.csv").Warnings));
        Assert.Empty(TabularCsv.Parse("id,v\n16777216,1\n-16777216,2\n,3\n", "edge.csv").Warnings);
    }

    [Fact]
    public void AByteOrderMarkComesBackWithTheTable()
    {
        using var folder = new TempDirectory();
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. "a,b\r\n1,2\r\n3,4\r\n"u8];
        File.WriteAllBytes(folder.File("bom.csv"), bytes);
        var table = TabularCsv.Read(folder.File("bom.csv"));
        Assert.Equal(["a", "b"], table.Header);
        Assert.Equal(bytes, new System.Text.UTF8Encoding(false).GetBytes(table.WithNumericCells((_, _) => false, (_, _) => "!")));
    }

    [Theory]
    [InlineData(new byte[] { (byte)'a', (byte)',', (byte)'b', 10, (byte)'1', (byte)',', (byte)'x', 10, (byte)'2', (byte)',', (byte)'c', (byte)'a', (byte)'f', 0xE9, 10 }, "line 3 is not UTF-8 text (byte 0xE9 at offset 13)")]
    [InlineData(new byte[] { (byte)'a', (byte)',', (byte)'b', 10, (byte)'1', 0, (byte)'2', 10 }, "line 2 holds a NUL byte (offset 5)")]
    public void ABinaryOrNonUtf8FileIsAnErrorNamingTheLineNotTextWithReplacementCharacters(byte[] bytes, string message)
    {
        using var folder = new TempDirectory();
        File.WriteAllBytes(folder.File("bad.csv"), bytes);
        var error = Assert.Throws<DataFormatException>(() => TabularCsv.Read(folder.File("bad.csv")));
        Assert.Contains(message, error.Message);
        Assert.Contains("bad.csv", error.Message);
    }

    [Fact]
    public void AUtf16FileIsReadByItsByteOrderMark()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("wide.csv"), "a,name\n1,café\n,café\n3,thé\n4,thé\n", new System.Text.UnicodeEncoding(bigEndian: false, byteOrderMark: true));
        var table = TabularCsv.Read(folder.File("wide.csv"));
        Assert.Equal(["a", "name"], table.Header);
        Assert.Equal(["café", "thé"], table.Levels[0]);
    }

    [Fact]
    public async Task AUtf16FileThroughAPipeIsReadWhenItsMarkArrivesInTwoReads()
    {
        if (OperatingSystem.IsWindows()) return;
        using var folder = new TempDirectory();
        string fifo = folder.File("wide.fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        var text = new System.Text.UnicodeEncoding(bigEndian: false, byteOrderMark: false).GetBytes("a,b\n1,2\n,3\n");
        var writer = Task.Run(() =>
        {
            using var pipe = new FileStream(fifo, FileMode.Open, FileAccess.Write);
            pipe.Write([0xFF]); // the mark's first byte alone, so the reader's first read ends there
            pipe.Flush();
            Thread.Sleep(200);
            pipe.Write([0xFE, .. text]);
        });

        var table = TabularCsv.Read(fifo);
        await writer;

        Assert.Equal(["a", "b"], table.Header);
        Assert.Equal([1, 1, 0, 1], table.Mask);
    }

    [Fact]
    public void AUtf16FileThatIsNotUtf16SaysSo()
    {
        using var folder = new TempDirectory();
        File.WriteAllBytes(folder.File("odd.csv"), [0xFF, 0xFE, (byte)'a', 0, (byte)',', 0, (byte)'b', 0, 0x00, 0xD8]); // a lone surrogate
        var error = Assert.Throws<DataFormatException>(() => TabularCsv.Read(folder.File("odd.csv")));
        Assert.Contains("not valid UTF-16 text", error.Message);
    }

    [Fact]
    public void SpacesAroundACategoryAreDroppedAsAroundANumber()
    {
        var table = TabularCsv.Parse("x, kind\n1, a\n2,a\n3, b \n4,b\n5,\n", "spaced.csv");
        Assert.Equal([ColumnKind.Integer, ColumnKind.Categorical], table.Kinds);
        Assert.Equal(["a", "b"], table.Levels[0]);
        Assert.Equal([0, 0, 1, 1, -1], table.Codes);
    }

    [Theory]
    [InlineData("a,b\n1,2\n3,4\n")]
    [InlineData("a,b\r\n1.50,2e3\r\n-3,\"4\"\r\n")]
    [InlineData("x , y\n 1 ,2\n3,4")]
    public void CompleteTableRoundTripsByteForByte(string text)
    {
        var table = TabularCsv.Parse(text, "c.csv");
        Assert.Equal(text, table.WithNumericCells((_, _) => false, (_, _) => "!"));
    }

    [Fact]
    public void ReplacingCellsLeavesEverythingElseAsWritten()
    {
        var table = TabularCsv.Parse("a,b,s\n1.50,,\"q, r\"\r\nNA,2,t\n", "w.csv");
        var text = table.WithNumericCells((row, k) => table.Mask[row * 2 + k] == 0, (row, k) => $"<{row}{k}>");
        Assert.Equal("a,b,s\n1.50,<01>,\"q, r\"\r\n<10>,2,t\n", text);
    }
}

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
        Assert.Contains("line 3 has 1 fields but the header (line 1) has 2", error.Message);
        var quoted = Assert.Throws<DataFormatException>(() => TabularCsv.Parse("a,b\n\"x\ny\",2\n3,4,5\n", "r.csv"));
        Assert.Contains("line 4 has 3 fields", quoted.Message);
    }

    [Fact]
    public void UnclosedQuoteAndEmptyTableAreErrors()
    {
        Assert.Throws<DataFormatException>(() => TabularCsv.Parse("a\n\"1\n", "u.csv"));
        Assert.Throws<DataFormatException>(() => TabularCsv.Parse("", "e.csv"));
        Assert.Throws<DataFormatException>(() => TabularCsv.Parse("a\nx\n", "n.csv"));
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

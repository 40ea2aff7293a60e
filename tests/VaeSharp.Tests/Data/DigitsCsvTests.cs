using VaeSharp.Data;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Data;

public sealed class DigitsCsvTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Header(bool labelled) =>
        (labelled ? "label," : "") + string.Join(',', Enumerable.Range(0, 784).Select(i => $"pixel{i}"));

    private static string Row(int? label, int pixelValue) =>
        (label is null ? "" : $"{label},") + string.Join(',', Enumerable.Repeat(pixelValue, 784));

    private string WriteCsv(string name, params string[] lines)
    {
        string path = _dir.File(name);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    [Fact]
    public void ReadsTrainFormatWithLabels()
    {
        string path = WriteCsv("train.csv", Header(true), Row(7, 0), Row(2, 255));

        Dataset data = DigitsCsv.Read(path);

        Assert.Equal((2, 28, 28), (data.Count, data.Rows, data.Cols));
        Assert.Equal([7, 2], data.Labels);
        Assert.All(data.Pixels[..784], value => Assert.Equal(0, value));
        Assert.All(data.Pixels[784..], value => Assert.Equal(255, value));
    }

    [Fact]
    public void ReadsTestFormatWithoutLabels()
    {
        string path = WriteCsv("test.csv", Header(false), Row(null, 9), Row(null, 10), Row(null, 11));

        Dataset data = DigitsCsv.Read(path);

        Assert.Equal(3, data.Count);
        Assert.Null(data.Labels);
        Assert.Equal(11, data.Pixels[^1]);
    }

    [Fact]
    public void RejectsBadHeader()
    {
        string path = WriteCsv("bad-header.csv", "label,pixel0,pixel1", Row(1, 0));

        var error = Assert.Throws<DataFormatException>(() => DigitsCsv.Read(path));

        Assert.Contains("line 1", error.Message);
        Assert.Contains("bad-header.csv", error.Message);
    }

    [Theory]
    [InlineData("256")]
    [InlineData("-1")]
    [InlineData("x")]
    [InlineData("")]
    public void RejectsBadPixelValueWithLineNumber(string badValue)
    {
        string badRow = "3," + string.Join(',', Enumerable.Repeat("0", 783)) + "," + badValue;
        string path = WriteCsv("bad-value.csv", Header(true), Row(1, 0), badRow);

        var error = Assert.Throws<DataFormatException>(() => DigitsCsv.Read(path));

        Assert.Contains("line 3, field 785", error.Message);
        Assert.Contains("bad-value.csv", error.Message);
    }

    [Fact]
    public void RejectsLabelOutsideDigits()
    {
        string path = WriteCsv("bad-label.csv", Header(true), Row(10, 0));

        var error = Assert.Throws<DataFormatException>(() => DigitsCsv.Read(path));

        Assert.Contains("line 2, field 1", error.Message);
    }

    [Fact]
    public void AFileWithoutLineEndsIsRefusedAtItsFirstLongLine()
    {
        string path = WriteCsv("long.csv", Header(true), Row(1, 0), new string('7', 200_000));

        var error = Assert.Throws<DataFormatException>(() => DigitsCsv.Read(path));

        Assert.Contains("line 3 is longer than 65,536 characters: not a digits CSV", error.Message);
    }

    [Theory]
    [InlineData(783)]
    [InlineData(785)]
    public void RejectsWrongFieldCountWithLineNumber(int pixelFields)
    {
        string badRow = "4," + string.Join(',', Enumerable.Repeat("0", pixelFields));
        string path = WriteCsv("fields.csv", Header(true), Row(1, 0), Row(2, 0), badRow);

        var error = Assert.Throws<DataFormatException>(() => DigitsCsv.Read(path));

        Assert.Contains($"line 4: {pixelFields + 1} fields, expected 785", error.Message);
        Assert.Contains("fields.csv", error.Message);
    }

    private static Dataset Numbered(int count, int offset) =>
        new(Enumerable.Range(0, count * 4).Select(i => (byte)(offset + i / 4)).ToArray(),
            Enumerable.Range(0, count).Select(i => (byte)((offset + i) % 10)).ToArray(), count, 2, 2, "numbered");

    [Fact]
    public void CombineAndSplitIsDeterministicPerSeedAndDisjoint()
    {
        Dataset first = Numbered(30, 0);
        Dataset second = Numbered(20, 100);

        var (train, validation) = DigitsCsv.CombineAndSplit(first, second, 12, new Rng(42));
        var (trainAgain, validationAgain) = DigitsCsv.CombineAndSplit(first, second, 12, new Rng(42));
        var (_, validationOther) = DigitsCsv.CombineAndSplit(first, second, 12, new Rng(43));

        Assert.Equal((38, 12), (train.Count, validation.Count));
        Assert.Equal(train.Pixels, trainAgain.Pixels);
        Assert.Equal(validation.Pixels, validationAgain.Pixels);
        Assert.NotEqual(validation.Pixels, validationOther.Pixels);
        // Every image is identified by its first pixel; together the two sets hold each image exactly once.
        var trainIds = Enumerable.Range(0, train.Count).Select(i => train.Pixels[i * 4]).ToArray();
        var validationIds = Enumerable.Range(0, validation.Count).Select(i => validation.Pixels[i * 4]).ToArray();
        Assert.Empty(trainIds.Intersect(validationIds));
        Assert.Equal(
            Enumerable.Range(0, 30).Concat(Enumerable.Range(100, 20)).Select(i => (byte)i).Order(),
            trainIds.Concat(validationIds).Order());
        Assert.Equal(validation.Pixels[4 * 3] % 10, validation.Labels![3] % 10);
    }

    [Fact]
    public void CombineAndSplitRejectsMixedLabelling()
    {
        var unlabelled = new Dataset(new byte[4], null, 1, 2, 2, "test.csv");

        Assert.Throws<ArgumentException>(() => DigitsCsv.CombineAndSplit(Numbered(3, 0), unlabelled, 1, new Rng(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => DigitsCsv.CombineAndSplit(Numbered(3, 0), null, 4, new Rng(1)));
    }
}

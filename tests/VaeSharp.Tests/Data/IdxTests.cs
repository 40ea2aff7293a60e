using System.Buffers.Binary;
using System.Diagnostics;
using VaeSharp.Data;

namespace VaeSharp.Tests.Data;

public sealed class IdxTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] Pixels(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();

    [Theory]
    [InlineData("images", "labels")]
    [InlineData("images.gz", "labels.gz")]
    public void RoundTripsImagesAndLabels(string imagesName, string labelsName)
    {
        byte[] pixels = Pixels(3 * 4 * 5);
        byte[] labels = [7, 0, 9];
        Idx.WriteImages(_dir.File(imagesName), pixels, 3, 4, 5);
        Idx.WriteLabels(_dir.File(labelsName), labels);

        Dataset data = Idx.ReadImagesAndLabels(_dir.File(imagesName), _dir.File(labelsName));

        Assert.Equal((3, 4, 5, 20), (data.Count, data.Rows, data.Cols, data.Features));
        Assert.Equal(pixels, data.Pixels);
        Assert.Equal(labels, data.Labels);
    }

    [Fact]
    public void DetectsGzipByMagicNotByName()
    {
        Idx.WriteImages(_dir.File("images.gz"), Pixels(2 * 3 * 3), 2, 3, 3);
        File.Move(_dir.File("images.gz"), _dir.File("images-no-extension"));

        Dataset data = Idx.ReadImagesAndLabels(_dir.File("images-no-extension"), null);

        Assert.Equal(2, data.Count);
        Assert.Null(data.Labels);
    }

    [Fact]
    public void RejectsLabelFileReadAsImages()
    {
        Idx.WriteLabels(_dir.File("train-labels"), [1, 2]);

        var error = Assert.Throws<DataFormatException>(() => Idx.ReadImages(_dir.File("train-labels")));

        Assert.Contains("magic 0x00000801, expected 0x00000803", error.Message);
        Assert.Contains("train-labels", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RejectsTruncatedFile(bool gzip)
    {
        string name = gzip ? "short.gz" : "short";
        Idx.WriteImages(_dir.File("full"), Pixels(4 * 2 * 2), 4, 2, 2);
        byte[] truncated = File.ReadAllBytes(_dir.File("full"))[..^3];
        File.WriteAllBytes(_dir.File(name), gzip ? SyntheticMnist.Gzip(truncated) : truncated);

        var error = Assert.Throws<DataFormatException>(() => Idx.ReadImages(_dir.File(name)));

        Assert.Contains(gzip ? "truncated" : "length mismatch", error.Message);
        Assert.Contains(name, error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RejectsFileLongerThanItsHeader(bool gzip)
    {
        string name = gzip ? "long.gz" : "long";
        Idx.WriteLabels(_dir.File("full"), [1, 2, 3]);
        byte[] longer = [.. File.ReadAllBytes(_dir.File("full")), 4];
        File.WriteAllBytes(_dir.File(name), gzip ? SyntheticMnist.Gzip(longer) : longer);

        var error = Assert.Throws<DataFormatException>(() => Idx.ReadLabels(_dir.File(name)));

        Assert.Contains("length mismatch", error.Message);
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void RejectsTruncatedHeader()
    {
        File.WriteAllBytes(_dir.File("header-only"), [0, 0, 8, 3, 0, 0, 0, 1]);

        var error = Assert.Throws<DataFormatException>(() => Idx.ReadImages(_dir.File("header-only")));

        Assert.Contains("truncated IDX image header", error.Message);
        Assert.Contains("header-only", error.Message);
    }

    [Fact]
    public void RejectsImageAndLabelCountMismatch()
    {
        Idx.WriteImages(_dir.File("images"), Pixels(3 * 2 * 2), 3, 2, 2);
        Idx.WriteLabels(_dir.File("labels"), [1, 2]);

        var error = Assert.Throws<DataFormatException>(
            () => Idx.ReadImagesAndLabels(_dir.File("images"), _dir.File("labels")));

        Assert.Contains("label count 2 does not match image count 3", error.Message);
        Assert.Contains("labels", error.FilePath);
    }

    [Theory]
    [InlineData(0x7FFFFFFFu, 0x7FFFFFFFu, 0x7FFFFFFFu, false)]
    [InlineData(60000u, 28u, 28u, false)]
    [InlineData(0x7FFFFFFFu, 0x7FFFFFFFu, 0x7FFFFFFFu, true)]
    [InlineData(1000000u, 28u, 28u, true)]
    [InlineData(0xFFFFFFFFu, 1u, 1u, false)]
    [InlineData(0u, 0x7FFFFFFFu, 0x7FFFFFFFu, false)]
    public void RejectsHugeClaimsInTinyFileWithoutAllocating(uint count, uint rows, uint cols, bool gzip)
    {
        var header = new byte[20];
        BinaryPrimitives.WriteUInt32BigEndian(header, Idx.ImageMagic);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), count);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), rows);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(12), cols);
        string name = gzip ? "huge.gz" : "huge";
        File.WriteAllBytes(_dir.File(name), gzip ? SyntheticMnist.Gzip(header) : header);
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<DataFormatException>(() => Idx.ReadImages(_dir.File(name)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore < 1 << 20, "allocated a large buffer");
        Assert.Contains(name, error.Message);
    }

    [Fact]
    public void RejectsCorruptGzip()
    {
        byte[] gzip = SyntheticMnist.Gzip(new byte[100]);
        gzip[12] ^= 0xFF;
        gzip[13] ^= 0xFF;
        File.WriteAllBytes(_dir.File("corrupt.gz"), gzip);

        var error = Assert.Throws<DataFormatException>(() => Idx.ReadLabels(_dir.File("corrupt.gz")));

        Assert.Contains("corrupt.gz", error.Message);
    }
}

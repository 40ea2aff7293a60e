using System.Buffers.Binary;
using System.Text;
using VaeSharp.Data;
using VaeSharp.Tests.Data;

namespace VaeSharp.Tests.Fuzz;

/// <summary>
/// The data readers under random damage: IDX images and labels, plain and gzip'd, the digits CSV and the tabular CSV. Each case ends
/// in a data set or a <see cref="DataFormatException"/>; a corrupt gzip stream is reported as one too.
/// </summary>
[Trait("Category", "Fuzz")]
public class DataFuzzTests
{
    private const string IdxAlphabet = "\0\x01\x03\x08\x1f\x8b\xff";

    [Fact]
    public void IdxImagesReadOrFailWithADataFormatError() =>
        AssertBothOutcomes(FuzzRunner.Run("idx images", ImageFile(), 11, IdxAlphabet, ReadImages, typeof(DataFormatException)));

    [Fact]
    public void GzippedIdxImagesReadOrFailWithADataFormatError() =>
        AssertBothOutcomes(FuzzRunner.Run("idx images (gzip)", SyntheticMnist.Gzip(ImageFile()), 12, IdxAlphabet, ReadImages, typeof(DataFormatException)));

    [Fact]
    public void IdxLabelsReadOrFailWithADataFormatError() =>
        AssertBothOutcomes(FuzzRunner.Run("idx labels", LabelFile(), 13, IdxAlphabet, ReadLabels, typeof(DataFormatException)));

    [Fact]
    public void GzippedIdxLabelsReadOrFailWithADataFormatError() =>
        AssertBothOutcomes(FuzzRunner.Run("idx labels (gzip)", SyntheticMnist.Gzip(LabelFile()), 14, IdxAlphabet, ReadLabels, typeof(DataFormatException)));

    [Fact]
    public void DigitsCsvReadsOrFailsWithADataFormatError() =>
        AssertBothOutcomes(FuzzRunner.Run("digits csv", CsvFile(), 15, "0123456789,\n\r-+ label", bytes =>
        {
            using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8);
            DigitsCsv.Read(reader, "fuzz.csv");
        }, typeof(DataFormatException)));

    [Fact]
    public void TabularCsvParsesOrFailsWithADataFormatError() =>
        AssertBothOutcomes(FuzzRunner.Run("tabular csv", Encoding.UTF8.GetBytes("id,\"x, y\",b\r\nr1,1.5,NA\r\nr2,,2e3\r\nr3,\"-4\",7\r\n"),
            16, "0123456789,\"\n\r.-eNA ", bytes => TabularCsv.Parse(Encoding.UTF8.GetString(bytes), "fuzz-table.csv"),
            typeof(DataFormatException)));

    /// <summary>A 20-byte file that claims 65535³ bytes is refused from its header, before any allocation.</summary>
    [Fact]
    public void AHugeClaimInATinyFileFailsBeforeAllocating()
    {
        var bytes = new byte[20];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, Idx.ImageMagic);
        for (int i = 0; i < 3; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), 65535);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DataFormatException>(() => ReadImages(bytes));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "allocated a large buffer before refusing");
        Assert.Contains("needs 281462092005375 data bytes", error.Message);
    }

    private static void AssertBothOutcomes((int Accepted, int Rejected) counts) =>
        Assert.True(counts.Accepted > 0 && counts.Rejected > 0, $"accepted {counts.Accepted}, rejected {counts.Rejected}");

    private static void ReadImages(byte[] bytes) => Idx.ReadImages(new MemoryStream(bytes), "fuzz-images.idx");

    private static void ReadLabels(byte[] bytes) => Idx.ReadLabels(new MemoryStream(bytes), "fuzz-labels.idx");

    /// <summary>Two 3×3 images: small, so that most damage lands in the header.</summary>
    private static byte[] ImageFile()
    {
        var bytes = new byte[16 + 2 * 9];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, Idx.ImageMagic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), 2);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), 3);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), 3);
        for (int i = 16; i < bytes.Length; i++) bytes[i] = (byte)(i * 7);
        return bytes;
    }

    private static byte[] LabelFile()
    {
        var bytes = new byte[8 + 5];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, Idx.LabelMagic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), 5);
        for (int i = 0; i < 5; i++) bytes[8 + i] = (byte)i;
        return bytes;
    }

    /// <summary>train.csv with two rows, the second ending in a blank line.</summary>
    private static byte[] CsvFile()
    {
        var text = new StringBuilder("label");
        for (int i = 0; i < 784; i++) text.Append(",pixel").Append(i);
        for (int row = 0; row < 2; row++)
        {
            text.Append('\n').Append(row + 3);
            for (int i = 0; i < 784; i++) text.Append(',').Append((i * (row + 5)) % 256);
        }
        return Encoding.UTF8.GetBytes(text.Append('\n').ToString());
    }
}

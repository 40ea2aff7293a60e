using System.Text;
using VaeSharp.IO;
using VaeSharp.Tensors;
using static VaeSharp.Tests.IO.SafetensorsTestFiles;

namespace VaeSharp.Tests.IO;

public class SafetensorsTests
{
    [Fact]
    public void GoldenBytesForOneTinyTensor()
    {
        byte[] bytes = Write([("a", Tensor.FromArray([1f, -2f], 2))]);

        // {"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} is 54 bytes, padded with two spaces to 56 = 0x38.
        byte[] expected =
        [
            0x38, 0, 0, 0, 0, 0, 0, 0,
            .. Encoding.ASCII.GetBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}  "),
            0x00, 0x00, 0x80, 0x3F, // 1.0f
            0x00, 0x00, 0x00, 0xC0, // -2.0f
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void RoundTripIsBitForBitIncludingNaNPayloadsAndNegativeZero()
    {
        float[] specials =
        [
            -0f, 0f, float.PositiveInfinity, float.NegativeInfinity, float.Epsilon, float.MaxValue,
            BitConverter.Int32BitsToSingle(0x7FC00001), BitConverter.Int32BitsToSingle(unchecked((int)0xFFA5A5A5)),
            BitConverter.Int32BitsToSingle(0x7F800001), 1.5f, -3.25f, 1e-40f,
        ];
        var rng = new Rng(7);
        var random = new float[3 * 5];
        rng.FillGaussian(random);
        var tensors = new List<(string, Tensor)>
        {
            ("encoder.dense1.weight", Tensor.FromArray(random, 3, 5)),
            ("specials", Tensor.FromArray(specials, 2, 2, 3)),
            ("scalar", new Tensor(new Shape(), [42f])),
        };

        var file = Read(Write(tensors));

        Assert.Equal(["encoder.dense1.weight", "specials", "scalar"], file.Tensors.Select(t => t.Name));
        foreach (var (name, original) in tensors)
        {
            Assert.Equal(original.Shape, file[name].Shape);
            Assert.Equal(original.ToArray().Select(BitConverter.SingleToInt32Bits), file[name].ToArray().Select(BitConverter.SingleToInt32Bits));
        }
        Assert.Empty(file.Metadata);
    }

    [Fact]
    public void WritesTheWindowOfATensorThatSharesItsBuffer()
    {
        float[] flat = [1, 2, 3, 4, 5, 6];
        var file = Read(Write([("bias", new Tensor(new Shape(2), flat, offset: 4))]));
        Assert.Equal([5f, 6f], file["bias"].ToArray());
    }

    [Fact]
    public void MetadataRoundTrips()
    {
        var metadata = new Dictionary<string, string>
        {
            ["vaesharp.spec"] = "{\"latent\": 2, \"activation\": \"relu\"}",
            ["note"] = "ünïcode \"quotes\" \\ and\nnewline <html>",
            ["empty"] = "",
        };
        var file = Read(Write([("w", Tensor.FromArray([1f], 1))], metadata));
        Assert.Equal(metadata.OrderBy(p => p.Key), file.Metadata.OrderBy(p => p.Key));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("encoder.dense1.weight")]
    [InlineData("abcdefg")]
    public void HeaderIsPaddedWithSpacesToAMultipleOfEight(string name)
    {
        byte[] bytes = Write([(name, Tensor.FromArray([1f, 2f, 3f], 3))], new Dictionary<string, string> { ["k"] = "v" });
        ulong headerLength = BitConverter.ToUInt64(bytes, 0);
        Assert.Equal(0UL, headerLength % 8);
        Assert.Equal(8 + (int)headerLength + 12, bytes.Length);
        string header = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        Assert.Equal('}', header.TrimEnd(' ')[^1]);
    }

    [Fact]
    public void OffsetsMayBeListedInAnyOrderIfTheyTileTheData()
    {
        var data = new byte[12];
        BitConverter.GetBytes(1f).CopyTo(data, 0);
        BitConverter.GetBytes(2f).CopyTo(data, 4);
        BitConverter.GetBytes(3f).CopyTo(data, 8);
        string header = """{"late":{"dtype":"F32","shape":[2],"data_offsets":[4,12]},"early":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}""";

        var file = Read(Raw(header, data));

        Assert.Equal(["late", "early"], file.Tensors.Select(t => t.Name));
        Assert.Equal([2f, 3f], file["late"].ToArray());
        Assert.Equal([1f], file["early"].ToArray());
        Assert.Equal(0, file["early"].Shape.Rank);
    }

    [Fact]
    public void AFileWithNoTensorsIsValid()
    {
        var file = Read(Write([], new Dictionary<string, string> { ["only"] = "metadata" }));
        Assert.Empty(file.Tensors);
        Assert.Equal("metadata", file.Metadata["only"]);
    }

    [Fact]
    public void ReadsFromAPathAndNamesThePathInErrors()
    {
        string path = Path.Combine(Path.GetTempPath(), $"vaesharp-{Guid.NewGuid():N}.safetensors");
        try
        {
            File.WriteAllBytes(path, Write([("w", Tensor.FromArray([1f, 2f], 1, 2))]));
            Assert.Equal([1f, 2f], SafetensorsReader.Read(path)["w"].ToArray());

            File.WriteAllBytes(path, [1, 2, 3]);
            var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsReader.Read(path));
            Assert.Equal(path, error.SourceName);
            Assert.EndsWith($" ({path})", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void WriterRejectsDuplicateEmptyAndReservedNames()
    {
        var tensor = Tensor.FromArray([1f], 1);
        Assert.Throws<ArgumentException>(() => Write([("x", tensor), ("x", tensor)]));
        Assert.Throws<ArgumentException>(() => Write([("", tensor)]));
        Assert.Throws<ArgumentException>(() => Write([(SafetensorsWriter.MetadataKey, tensor)]));
    }

    [Fact]
    public void ReaderNeedsASeekableStream()
    {
        Assert.Throws<ArgumentException>(() => SafetensorsReader.Read(new NonSeekableStream(), "pipe"));
    }

    private sealed class NonSeekableStream : MemoryStream
    {
        public override bool CanSeek => false;
    }
}

using System.Text;
using VaeSharp.IO;
using VaeSharp.Tensors;
using static VaeSharp.Tests.IO.SafetensorsTestFiles;

namespace VaeSharp.Tests.IO;

public class SafetensorsRejectionTests
{
    private static string Entry(string name, string shape, long begin, long end, string dtype = "F32") =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    private static string Header(params string[] entries) => "{" + string.Join(",", entries) + "}";

    [Fact]
    public void FileShorterThanTheLengthPrefix() =>
        Assert.Contains("too short", Reject([1, 0, 0]));

    [Fact]
    public void OversizedHeaderLengthIsRejectedBeforeAllocating() =>
        Assert.Contains("exceeds the limit", Reject(WithLength(ulong.MaxValue, new byte[16])));

    [Fact]
    public void HeaderJustOverTheLimitIsRejected() =>
        Assert.Contains("exceeds the limit", Reject(WithLength((ulong)SafetensorsReader.MaxHeaderLength + 1, new byte[16])));

    [Fact]
    public void HeaderPastTheEndOfTheFile() =>
        Assert.Contains("runs past the end of the 24-byte file", Reject(WithLength(17, new byte[16])));

    [Fact]
    public void HeaderThatIsNotUtf8() =>
        Assert.Contains("not valid UTF-8", Reject(Raw([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'], [])));

    [Theory]
    [InlineData("{\"a\":")]
    [InlineData("{'a':1}")]
    [InlineData("{} trailing")]
    [InlineData("")]
    public void HeaderThatIsNotJson(string header) =>
        Assert.Contains("not valid JSON", Reject(Raw(header, [])));

    [Theory]
    [InlineData("[1,2]", "array")]
    [InlineData("\"text\"", "string")]
    [InlineData("42", "number")]
    [InlineData("null", "null")]
    public void HeaderThatIsNotAnObject(string header, string kind) =>
        Assert.Contains($"is a JSON {kind}, not an object", Reject(Raw(header, [])));

    [Fact]
    public void UnsupportedDtypeIsNamed() =>
        Assert.Contains("unsupported dtype F16 for tensor 'x'", Reject(Raw(Header(Entry("x", "[2]", 0, 4, "F16")), new byte[4])));

    [Fact]
    public void UnknownDtypeIsNamed() =>
        Assert.Contains("unknown dtype 'F33' for tensor 'x'", Reject(Raw(Header(Entry("x", "[1]", 0, 4, "F33")), new byte[4])));

    [Fact]
    public void OverlappingOffsets() =>
        Assert.Contains("overlaps tensor 'a'",
            Reject(Raw(Header(Entry("a", "[2]", 0, 8), Entry("b", "[2]", 4, 12)), new byte[12])));

    [Fact]
    public void GapBetweenTensors() =>
        Assert.Contains("bytes 4 to 8 of the data section belong to no tensor",
            Reject(Raw(Header(Entry("a", "[1]", 0, 4), Entry("b", "[1]", 8, 12)), new byte[12])));

    [Fact]
    public void DataNotStartingAtZero() =>
        Assert.Contains("bytes 0 to 4", Reject(Raw(Header(Entry("a", "[1]", 4, 8)), new byte[8])));

    [Fact]
    public void OffsetsPastTheEndOfTheData() =>
        Assert.Contains("past the end of the 4-byte data section", Reject(Raw(Header(Entry("a", "[2]", 0, 8)), new byte[4])));

    [Fact]
    public void TrailingBytesAfterTheLastTensor() =>
        Assert.Contains("has 8 bytes but the tensors cover 4", Reject(Raw(Header(Entry("a", "[1]", 0, 4)), new byte[8])));

    [Fact]
    public void BeginAfterEnd() =>
        Assert.Contains("begin at 8 after they end at 4", Reject(Raw(Header(Entry("a", "[1]", 8, 4)), new byte[8])));

    [Fact]
    public void ByteCountDifferentFromElementCountTimesFour() =>
        Assert.Contains("has 8 bytes of data but its shape needs 12", Reject(Raw(Header(Entry("a", "[3]", 0, 8)), new byte[8])));

    [Fact]
    public void DuplicateTensorKeys() =>
        Assert.Contains("key 'a' appears twice",
            Reject(Raw(Header(Entry("a", "[1]", 0, 4), Entry("a", "[1]", 4, 8)), new byte[8])));

    [Fact]
    public void DuplicateKeysAreFoundAfterUnescaping() =>
        Assert.Contains("appears twice",
            Reject(Raw(Header(Entry("a", "[1]", 0, 4), Entry("\\u0061", "[1]", 4, 8)), new byte[8])));

    [Fact]
    public void DuplicateFieldInsideAnEntry() =>
        Assert.Contains("field 'shape' twice",
            Reject(Raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4])));

    [Fact]
    public void DuplicateMetadataKeys() =>
        Assert.Contains("metadata key 'k' appears twice", Reject(Raw("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", [])));

    [Fact]
    public void ShapeWhoseElementCountOverflows() =>
        Assert.Contains("element count of tensor 'a' overflows",
            Reject(Raw(Header(Entry("a", "[2,9223372036854775807]", 0, 4)), new byte[4])));

    [Fact]
    public void ShapeLargerThanATensorCanHold() =>
        Assert.Contains("more than 2147483647 elements", Reject(Raw(Header(Entry("a", "[65536,65536]", 0, 4)), new byte[4])));

    [Theory]
    [InlineData("[-1]", "non-negative integers")]
    [InlineData("[1.5]", "non-negative integers")]
    [InlineData("[\"2\"]", "non-negative integers")]
    [InlineData("[99999999999999999999999]", "non-negative integers")]
    [InlineData("[2,0]", "zero-size dimension")]
    [InlineData("{}", "shape of tensor 'a' is not an array")]
    public void InvalidShapes(string shape, string expected) =>
        Assert.Contains(expected, Reject(Raw(Header(Entry("a", shape, 0, 4)), new byte[4])));

    [Theory]
    [InlineData("{\"a\":[1]}", "is not a JSON object")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", "needs dtype, shape and data_offsets")]
    [InlineData("{\"a\":{\"dtype\":1,\"shape\":[1],\"data_offsets\":[0,4]}}", "dtype of tensor 'a' is not a string")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", "must be an array [begin, end]")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", "must be non-negative integers")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":0}}", "unknown field 'extra'")]
    [InlineData("{\"__metadata__\":{\"k\":1}}", "metadata value for 'k' is a number, not a string")]
    [InlineData("{\"__metadata__\":[]}", "__metadata__ must be an object of strings")]
    public void MalformedEntries(string header, string expected) =>
        Assert.Contains(expected, Reject(Raw(header, new byte[4])));

    [Fact]
    public void NamesInMessagesAreEscapedAndShortened()
    {
        string name = "line\\nbreak" + new string('x', 200);
        string message = Reject(Raw(Header(Entry(name, "[1]", 0, 4, "F16")), new byte[4]));
        Assert.Contains("'line\\nbreak", message);
        Assert.Contains("...'", message);
        Assert.True(message.Length < 200, message);
    }

    /// <summary>
    /// Truncations, bit flips and overwritten bytes of a valid file must each read cleanly or fail with the
    /// format exception: never another exception type, a hang or an out-of-range read.
    /// </summary>
    [Fact]
    [Trait("Category", "Fuzz")]
    public void RandomMutationsEitherReadOrFailWithAFormatError()
    {
        byte[] valid = Write(
            [("encoder.weight", Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3)), ("bias", Tensor.FromArray([7f], 1)), ("s", new Tensor(new Shape(), [8f]))],
            new Dictionary<string, string> { ["vaesharp.spec"] = "{\"latent\":2}" });
        // Bias towards JSON punctuation so that the parser sees structurally plausible damage too.
        var (accepted, rejected) = Fuzz.FuzzRunner.Run("safetensors", valid, 2024, "{}[],:\"0123456789-. eE\\FU",
            bytes => Read(bytes), typeof(SafetensorsFormatException));
        // Both outcomes occur: flips in the float data stay valid, most header damage does not.
        Assert.True(accepted > 0 && rejected > 0, $"accepted {accepted}, rejected {rejected}");
    }
}

using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace VaeSharp.IO;

/// <summary>One tensor entry of a validated header: its dimensions and its byte range in the data section.</summary>
internal readonly record struct SafetensorsEntry(string Name, int[] Dims, long Begin, long End);

/// <summary>
/// Parses and validates a safetensors JSON header against the length of the data section that follows it,
/// so that the reader allocates nothing until every size and offset is known to be consistent.
/// </summary>
internal static class SafetensorsHeader
{
    // Dtypes of the safetensors specification; recognised so that the error says "unsupported" rather than "unknown".
    private static readonly HashSet<string> KnownDtypes =
        ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"];

    private const int MaxNameLengthInMessages = 80;

    /// <summary>Validates <paramref name="header"/>; entries come back in header order.</summary>
    public static (Dictionary<string, string> Metadata, List<SafetensorsEntry> Entries) Parse(
        byte[] header, long dataLength, string sourceName)
    {
        // JsonDocument defers UTF-8 validation of strings until they are read, so check it up front.
        if (!Utf8.IsValid(header)) throw Error(sourceName, "the header is not valid UTF-8");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException exception)
        {
            throw Error(sourceName, "the header is not valid JSON: " + OneLine(exception.Message), exception);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Error(sourceName, $"the header is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object");

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var entries = new List<SafetensorsEntry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw Error(sourceName, $"key {Describe(property.Name)} appears twice in the header");
                if (property.Name == SafetensorsWriter.MetadataKey)
                    ReadMetadata(property.Value, metadata, sourceName);
                else
                    entries.Add(ReadEntry(property.Name, property.Value, sourceName));
            }
            CheckTiling(entries, dataLength, sourceName);
            return (metadata, entries);
        }
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string sourceName)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Error(sourceName, $"{SafetensorsWriter.MetadataKey} must be an object of strings");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Error(sourceName, $"metadata value for {Describe(item.Name)} is a {item.Value.ValueKind.ToString().ToLowerInvariant()}, not a string");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw Error(sourceName, $"metadata key {Describe(item.Name)} appears twice");
        }
    }

    private static SafetensorsEntry ReadEntry(string name, JsonElement value, string sourceName)
    {
        string tensor = "tensor " + Describe(name);
        if (value.ValueKind != JsonValueKind.Object) throw Error(sourceName, $"{tensor} is not a JSON object");

        JsonElement? dtype = null, shape = null, offsets = null;
        foreach (var field in value.EnumerateObject())
        {
            ref JsonElement? slot = ref dtype;
            switch (field.Name)
            {
                case "dtype": break;
                case "shape": slot = ref shape; break;
                case "data_offsets": slot = ref offsets; break;
                default: throw Error(sourceName, $"{tensor} has an unknown field {Describe(field.Name)}");
            }
            if (slot is not null) throw Error(sourceName, $"{tensor} has field '{field.Name}' twice");
            slot = field.Value;
        }
        if (dtype is null || shape is null || offsets is null)
            throw Error(sourceName, $"{tensor} needs dtype, shape and data_offsets");

        CheckDtype(dtype.Value, tensor, sourceName);
        var (dims, elementCount) = ReadShape(shape.Value, tensor, sourceName);
        var (begin, end) = ReadOffsets(offsets.Value, tensor, sourceName);
        if (end - begin != elementCount * sizeof(float))
            throw Error(sourceName, $"{tensor} has {end - begin} bytes of data but its shape needs {elementCount * sizeof(float)}");
        return new SafetensorsEntry(name, dims, begin, end);
    }

    private static void CheckDtype(JsonElement dtype, string tensor, string sourceName)
    {
        if (dtype.ValueKind != JsonValueKind.String) throw Error(sourceName, $"dtype of {tensor} is not a string");
        string name = dtype.GetString()!;
        if (name == "F32") return;
        throw KnownDtypes.Contains(name)
            ? Error(sourceName, $"unsupported dtype {name} for {tensor} (only F32 is read)")
            : Error(sourceName, $"unknown dtype {Describe(name)} for {tensor}");
    }

    private static (int[] Dims, long ElementCount) ReadShape(JsonElement shape, string tensor, string sourceName)
    {
        if (shape.ValueKind != JsonValueKind.Array) throw Error(sourceName, $"shape of {tensor} is not an array");
        var dims = new int[shape.GetArrayLength()];
        long elementCount = 1;
        int axis = 0;
        foreach (var item in shape.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long dim) || dim < 0)
                throw Error(sourceName, $"shape of {tensor} must hold non-negative integers");
            // Shape needs every dimension to be at least 1, so an empty tensor cannot be represented.
            if (dim == 0) throw Error(sourceName, $"{tensor} has a zero-size dimension, which is not supported");
            try
            {
                elementCount = checked(elementCount * dim);
            }
            catch (OverflowException exception)
            {
                throw Error(sourceName, $"the element count of {tensor} overflows", exception);
            }
            if (elementCount > int.MaxValue)
                throw Error(sourceName, $"{tensor} has more than {int.MaxValue} elements");
            dims[axis++] = (int)dim;
        }
        return (dims, elementCount);
    }

    private static (long Begin, long End) ReadOffsets(JsonElement offsets, string tensor, string sourceName)
    {
        if (offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw Error(sourceName, $"data_offsets of {tensor} must be an array [begin, end]");
        long begin = ReadOffset(offsets[0], tensor, sourceName);
        long end = ReadOffset(offsets[1], tensor, sourceName);
        if (begin > end) throw Error(sourceName, $"data_offsets of {tensor} begin at {begin} after they end at {end}");
        return (begin, end);
    }

    private static long ReadOffset(JsonElement offset, string tensor, string sourceName) =>
        offset.ValueKind == JsonValueKind.Number && offset.TryGetInt64(out long value) && value >= 0
            ? value
            : throw Error(sourceName, $"data_offsets of {tensor} must be non-negative integers");

    /// <summary>
    /// The entries may be listed in any order, but sorted by offset they must tile the data section exactly:
    /// from 0, without gaps or overlaps, to its last byte.
    /// </summary>
    private static void CheckTiling(List<SafetensorsEntry> entries, long dataLength, string sourceName)
    {
        var byOffset = entries.OrderBy(entry => entry.Begin).ThenBy(entry => entry.End).ToList();
        long covered = 0;
        string? previous = null;
        foreach (var entry in byOffset)
        {
            string tensor = "tensor " + Describe(entry.Name);
            if (entry.End > dataLength)
                throw Error(sourceName, $"{tensor} data ends at byte {entry.End}, past the end of the {dataLength}-byte data section");
            if (entry.Begin < covered)
                throw Error(sourceName, $"{tensor} data overlaps tensor {Describe(previous!)}");
            if (entry.Begin > covered)
                throw Error(sourceName, $"bytes {covered} to {entry.Begin} of the data section belong to no tensor");
            covered = entry.End;
            previous = entry.Name;
        }
        if (covered != dataLength)
            throw Error(sourceName, $"the data section has {dataLength} bytes but the tensors cover {covered}");
    }

    /// <summary>Quotes a name for a message, escaping control characters and cutting it short, so the message stays one line.</summary>
    private static string Describe(string name)
    {
        string shortName = name.Length > MaxNameLengthInMessages ? name[..MaxNameLengthInMessages] + "..." : name;
        return "'" + JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(shortName) + "'";
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static SafetensorsFormatException Error(string sourceName, string problem, Exception? inner = null) =>
        new(sourceName, problem, inner);
}

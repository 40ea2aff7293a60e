using System.Buffers;
using System.Text.Json;

namespace VaeSharp.Serve.Api;

/// <summary>Writes a JSON answer: an object built by a callback, or <c>{"error": ...}</c>, with its status code.</summary>
internal static class JsonReply
{
    public static async Task WriteAsync(HttpResponse response, int statusCode, Action<Utf8JsonWriter> writeFields)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeFields(writer);
            writer.WriteEndObject();
        }
        response.StatusCode = statusCode;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, response.HttpContext.RequestAborted);
    }

    public static Task OkAsync(HttpResponse response, Action<Utf8JsonWriter> writeFields) =>
        WriteAsync(response, StatusCodes.Status200OK, writeFields);

    public static Task ErrorAsync(HttpResponse response, int statusCode, string message) =>
        WriteAsync(response, statusCode, writer => writer.WriteString("error", message));

    /// <summary><paramref name="name"/>: an array of rows of <paramref name="cols"/> numbers from (rows, cols) row-major values.</summary>
    public static void Matrix(Utf8JsonWriter writer, string name, ReadOnlySpan<float> values, int cols)
    {
        writer.WriteStartArray(name);
        for (int start = 0; start < values.Length; start += cols) Row(writer, values.Slice(start, cols));
        writer.WriteEndArray();
    }

    /// <summary><paramref name="name"/>: an array of rows, one per array.</summary>
    public static void Rows(Utf8JsonWriter writer, string name, IEnumerable<float[]> rows)
    {
        writer.WriteStartArray(name);
        foreach (var row in rows) Row(writer, row);
        writer.WriteEndArray();
    }

    /// <summary><paramref name="name"/>: an array of numbers.</summary>
    public static void Vector(Utf8JsonWriter writer, string name, ReadOnlySpan<float> values)
    {
        writer.WritePropertyName(name);
        Row(writer, values);
    }

    private static void Row(Utf8JsonWriter writer, ReadOnlySpan<float> values)
    {
        writer.WriteStartArray();
        foreach (float value in values) writer.WriteNumberValue(value);
        writer.WriteEndArray();
    }
}

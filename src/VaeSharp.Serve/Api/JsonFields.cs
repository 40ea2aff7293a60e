using System.Text.Json;

namespace VaeSharp.Serve.Api;

/// <summary>
/// Strict reading of request fields. Every failure is a 400 whose message names the field as a path
/// (<c>z[3][1]</c>): a missing or unknown field, a wrong type, a wrong length, a non-finite or out-of-range number,
/// too many rows.
/// </summary>
internal static class JsonFields
{
    /// <summary>The root as an object whose fields are all among <paramref name="allowed"/>, each at most once.</summary>
    public static JsonElement Object(JsonDocument document, params string[] allowed)
    {
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw ApiException.BadRequest($"the body must be a JSON object, not {Kind(root)} (body)");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            string name;
            try
            {
                name = property.Name;
            }
            catch (InvalidOperationException)
            {
                // "\ud800" or a 0xFF byte: every later lookup by name would throw on it too, so it stops here.
                throw ApiException.BadRequest("a field's name is not valid Unicode (body)");
            }
            if (!allowed.Contains(name, StringComparer.Ordinal))
                throw ApiException.BadRequest($"unknown field; expected {string.Join(", ", allowed)} ({Quote(name)})");
            if (!seen.Add(name)) throw ApiException.BadRequest($"the field appears twice ({name})");
        }
        return root;
    }

    /// <summary>The field <paramref name="name"/>, which must be present.</summary>
    public static JsonElement Required(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) ? value : throw ApiException.BadRequest($"the field is missing ({name})");

    /// <summary>Rows of exactly <paramref name="cols"/> finite numbers in [min, max], 1 to <paramref name="maxRows"/> of them: (rows, cols) row-major.</summary>
    public static (float[] Values, int Rows) Matrix(JsonElement element, string name, int cols, int maxRows, float min, float max)
    {
        RequireArray(element, name);
        int rows = element.GetArrayLength();
        if (rows == 0) throw ApiException.BadRequest($"needs at least one row ({name})");
        if (rows > maxRows) throw ApiException.BadRequest($"{rows} rows, at most {maxRows} are allowed ({name})");
        var values = new float[rows * cols];
        int row = 0;
        foreach (var item in element.EnumerateArray())
        {
            ReadVector(item, $"{name}[{row}]", cols, min, max, values.AsSpan(row * cols, cols));
            row++;
        }
        return (values, rows);
    }

    /// <summary>Exactly <paramref name="length"/> finite numbers in [min, max].</summary>
    public static float[] Vector(JsonElement element, string name, int length, float min, float max)
    {
        var values = new float[length];
        ReadVector(element, name, length, min, max, values);
        return values;
    }

    /// <summary>An integer in [min, max]; a number with a fraction, or out of range, is refused.</summary>
    public static long Integer(JsonElement element, string name, long min, long max)
    {
        double value = Number(element, name);
        if (Math.Floor(value) != value) throw ApiException.BadRequest($"must be a whole number, not {Format(value)} ({name})");
        if (value < min || value > max) throw ApiException.BadRequest($"{Format(value)} is outside {min}..{max} ({name})");
        return (long)value;
    }

    /// <summary>A query-string integer in [min, max]; null when the parameter is absent.</summary>
    public static int? QueryInteger(HttpRequest request, string name, int min, int max)
    {
        if (!request.Query.TryGetValue(name, out var values)) return null;
        if (values.Count != 1 || !int.TryParse(values[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value))
            throw ApiException.BadRequest($"must be one whole number ({name})");
        if (value < min || value > max) throw ApiException.BadRequest($"{value} is outside {min}..{max} ({name})");
        return value;
    }

    private static void ReadVector(JsonElement element, string name, int length, float min, float max, Span<float> destination)
    {
        RequireArray(element, name);
        int count = element.GetArrayLength();
        if (count != length) throw ApiException.BadRequest($"{count} values, {length} are needed ({name})");
        int i = 0;
        foreach (var item in element.EnumerateArray())
        {
            string path = $"{name}[{i}]";
            double value = Number(item, path);
            if (value < min || value > max) throw ApiException.BadRequest($"{Format(value)} is outside {Format(min)}..{Format(max)} ({path})");
            destination[i++] = (float)value;
        }
    }

    private static double Number(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Number) throw ApiException.BadRequest($"must be a number, not {Kind(element)} ({name})");
        if (!element.TryGetDouble(out double value) || !double.IsFinite(value)) throw ApiException.BadRequest($"must be a finite number ({name})");
        return value;
    }

    private static void RequireArray(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Array) throw ApiException.BadRequest($"must be an array, not {Kind(element)} ({name})");
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Format(double value) => value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A client's field name, cut short and JSON-escaped, so an error never carries a long or odd string back raw.</summary>
    private static string Quote(string name) => JsonSerializer.Serialize(name.Length > 40 ? name[..40] + "…" : name);
}

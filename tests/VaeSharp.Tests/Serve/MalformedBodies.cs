using System.Globalization;
using System.Text;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Serve;

/// <summary>
/// Seeded request bodies that are each wrong in one known way: truncated JSON, a wrong type, a huge or non-finite
/// number, deep nesting, a wrong length, an out-of-range value, too many rows, an unknown, missing or repeated field,
/// a root that is not an object, bytes that are not JSON, or more than a megabyte. None of them is a valid request.
/// </summary>
internal sealed class MalformedBodies(EndpointShape shape, ulong seed)
{
    private const string Raw = "\"\u0001raw\"";
    private readonly Rng _rng = new(seed);

    public byte[] Next()
    {
        return _rng.NextInt(14) switch
        {
            0 => Truncated(),
            1 => Encode(FieldOfWrongType()),
            2 => Encode(WithElement(Choose("\"text\"", "true", "false", "null", "{}", "[1]", "[]"))),
            3 => Encode(WithElement(Raw), Choose("1e39", "-1e39", "1e400", "-1e400", "1e308", "123456789012345678901234567890", "9007199254740993")),
            4 => Encode(WithElement(Raw), Choose("NaN", "Infinity", "-Infinity", "nan", "+1", "01", ".5", "1.", "0x10")),
            5 => DeeplyNested(),
            6 => Encode(WrongLength()),
            7 => Encode(OutOfRange()),
            8 => TooManyRows(),
            9 => Encode(OddFields()),
            10 => Bytes(Choose("[]", "[{}]", "1", "\"text\"", "null", "true", "{\"z\":1}x", "{", "}", "")),
            11 => NotJson(),
            12 => _rng.NextInt(8) == 0 ? Oversize() : Truncated(),
            _ => Encode(EmptyOrBoxed()),
        };
    }

    private string Pick() => shape.Fields.Keys.ElementAt(_rng.NextInt(shape.Fields.Count));

    private string Choose(params string[] options) => options[_rng.NextInt(options.Length)];

    /// <summary>A field holding a type it does not take: for an array field a scalar or object, for a number an array or other scalar.</summary>
    private Dictionary<string, string> FieldOfWrongType()
    {
        string name = Pick();
        return WithField(name, shape.Fields[name].IsArray
            ? Choose("\"text\"", "true", "false", "null", "{}", "{\"a\": 1}", "3")
            : Choose("\"1\"", "true", "null", "{}", "[1]", "[]"));
    }

    /// <summary>An array field left empty, or a number field boxed in an array.</summary>
    private Dictionary<string, string> EmptyOrBoxed()
    {
        string name = Pick();
        return WithField(name, shape.Fields[name].IsArray ? "[]" : "[1]");
    }

    private Dictionary<string, string> Valid() => shape.Fields.ToDictionary(field => field.Key, field => field.Value.Valid(_rng));

    private Dictionary<string, string> WithField(string name, string value)
    {
        var body = Valid();
        body[name] = value;
        return body;
    }

    /// <summary>One number inside an array field (or a scalar field itself) replaced by <paramref name="value"/>.</summary>
    private Dictionary<string, string> WithElement(string value)
    {
        var body = Valid();
        var arrays = shape.Fields.Where(field => field.Value.IsArray).Select(field => field.Key).ToList();
        string name = arrays.Count > 0 && _rng.NextInt(4) != 0 ? arrays[_rng.NextInt(arrays.Count)] : Pick();
        if (!shape.Fields[name].IsArray) return WithField(name, value);
        var numbers = body[name].Split(',');
        int index = _rng.NextInt(numbers.Length);
        string number = numbers[index], open = new(number.TakeWhile(c => c == '[').ToArray()), close = new(number.Reverse().TakeWhile(c => c == ']').ToArray());
        numbers[index] = open + value + close;
        body[name] = string.Join(",", numbers);
        return body;
    }

    private Dictionary<string, string> WrongLength()
    {
        var arrays = shape.Fields.Where(field => field.Value.IsArray).ToList();
        if (arrays.Count == 0) return WithField(Pick(), "[]");
        var (name, field) = arrays[_rng.NextInt(arrays.Count)];
        return WithField(name, field.WrongLength(_rng));
    }

    private Dictionary<string, string> OutOfRange()
    {
        var name = Pick();
        return WithField(name, shape.Fields[name].OutOfRange(_rng));
    }

    private Dictionary<string, string> OddFields()
    {
        var body = Valid();
        switch (_rng.NextInt(3))
        {
            case 0:
                // The last two are names that are not valid Unicode: lone surrogates, escaped.
                body[Choose("path", "file", "Z", "url", "__proto__", "", "\\ud800", "\\udfff\\ud800")] = "1";
                break;
            case 1:
                body.Remove(shape.Required[_rng.NextInt(shape.Required.Count)]);
                break;
            default:
                string name = Pick();
                return new Dictionary<string, string>(body) { [name + "\u0000dup"] = body[name] };
        }
        return body;
    }

    private byte[] Truncated()
    {
        var valid = Encode(Valid());
        return valid[..(valid.Length - 1 - _rng.NextInt(valid.Length))];
    }

    private byte[] DeeplyNested()
    {
        int depth = 9 + _rng.NextInt(2000);
        string nested = new string('[', depth) + "0" + new string(']', depth);
        return _rng.NextInt(3) == 0 ? Bytes(nested) : Encode(WithElement(Raw), nested);
    }

    private byte[] TooManyRows()
    {
        var rows = shape.Fields.Where(field => field.Value.MaxRows > 0).ToList();
        if (rows.Count == 0) return Encode(OutOfRange());
        var (name, field) = rows[_rng.NextInt(rows.Count)];
        string row = "[" + string.Join(",", Enumerable.Repeat("0", field.Cols)) + "]";
        return Encode(WithField(name, "[" + string.Join(",", Enumerable.Repeat(row, field.MaxRows + 1 + _rng.NextInt(50))) + "]"));
    }

    private byte[] NotJson()
    {
        var bytes = new byte[1 + _rng.NextInt(200)];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)_rng.NextInt(256);
        bytes[0] = (byte)Choose("\u00ff", "\u00fe", "<", "'", "\u0000")[0]; // no JSON value starts with these
        if (_rng.NextInt(2) == 0) return [.. Encoding.UTF8.GetBytes("{\"z\": \""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")]; // invalid UTF-8
        return bytes;
    }

    private byte[] Oversize()
    {
        var valid = Encode(Valid());
        int padding = (1 << 20) + 1 - valid.Length + _rng.NextInt(4096);
        return [.. Encoding.UTF8.GetBytes(new string(' ', Math.Max(1, padding))), .. valid];
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Encode(Dictionary<string, string> body, string? raw = null)
    {
        string json = "{" + string.Join(",", body.Select(field => $"\"{field.Key.Replace("\u0000dup", "", StringComparison.Ordinal)}\":{field.Value}")) + "}";
        return Bytes(raw is null ? json : json.Replace(Raw, raw, StringComparison.Ordinal));
    }
}

/// <summary>What one field of a request takes, enough to write valid values and values wrong in a chosen way.</summary>
/// <param name="Rows">Rows of a matrix field (0 for a vector or scalar).</param>
/// <param name="MaxRows">The most rows the server accepts (0 for a vector or scalar).</param>
/// <param name="Cols">Values per row, or of a vector (0 for a scalar).</param>
/// <param name="Min">The smallest valid value.</param>
/// <param name="Max">The largest valid value.</param>
/// <param name="Whole">Whether values are whole numbers (or 0/1 for a mask).</param>
internal sealed record FieldShape(int Rows, int MaxRows, int Cols, double Min, double Max, bool Whole)
{
    public bool IsArray => Cols > 0;

    public string Valid(Rng rng) => Rows > 0
        ? "[" + string.Join(",", Enumerable.Range(0, Rows).Select(_ => Vector(rng, Cols))) + "]"
        : Cols > 0 ? Vector(rng, Cols) : Number(rng);

    public string WrongLength(Rng rng)
    {
        int wrong = rng.NextInt(2) == 0 ? Math.Max(0, Cols - 1 - rng.NextInt(Cols)) : Cols + 1 + rng.NextInt(5);
        if (Rows == 0) return Vector(rng, wrong);
        var rows = Enumerable.Range(0, Rows).Select(_ => Vector(rng, Cols)).ToList();
        rows[rng.NextInt(rows.Count)] = Vector(rng, wrong);
        return "[" + string.Join(",", rows) + "]";
    }

    public string OutOfRange(Rng rng)
    {
        string bad = Whole && rng.NextInt(3) == 0 && Max > Min + 1 ? Format(Min + 0.5) : rng.NextInt(2) == 0 ? Format(Min - 0.001 - rng.NextDouble() * 1e6) : Format(Max + (Whole ? 1 : 0.001) + rng.NextDouble() * 1e6);
        if (Cols == 0) return bad;
        string value = Valid(rng);
        var numbers = value.Split(',');
        int index = rng.NextInt(numbers.Length);
        string number = numbers[index];
        numbers[index] = new string(number.TakeWhile(c => c == '[').ToArray()) + bad + new string(number.Reverse().TakeWhile(c => c == ']').ToArray());
        return string.Join(",", numbers);
    }

    private string Vector(Rng rng, int length) => "[" + string.Join(",", Enumerable.Range(0, length).Select(_ => Number(rng))) + "]";

    private string Number(Rng rng) => Whole
        ? Format(Math.Floor(Min + rng.NextDouble() * (Math.Min(Max, Min + 20) - Min + 1)))
        : Format(Min + rng.NextDouble() * (Max - Min));

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>An endpoint's fields by name, and which are required.</summary>
internal sealed record EndpointShape(string Path, Dictionary<string, FieldShape> Fields, IReadOnlyList<string> Required);

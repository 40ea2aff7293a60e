using System.Text.Encodings.Web;
using System.Text.Json;

namespace VaeSharp.Cli;

/// <summary>
/// How every verb's <c>--json</c> is written: for a terminal, grep and a JSON parser, not for HTML, so "+", "&amp;", "&lt;"
/// and non-ASCII letters in paths and method names stay as they are ("knn+iterative", not "knn\u002Biterative").
/// </summary>
internal static class CliJson
{
    /// <summary>The serializer options: the default ones with relaxed escaping (JSON's own escapes only).</summary>
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="value"/> as one line of JSON to standard output.</summary>
    public static void WriteLine<T>(T value) => Console.WriteLine(JsonSerializer.Serialize(value, Options));
}

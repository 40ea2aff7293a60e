using System.Text.Json;

namespace VaeSharp.Serve.Api;

/// <summary>Reads a request body of at most <see cref="MaxBytes"/> as one JSON document, refusing larger or malformed ones.</summary>
internal static class RequestBody
{
    /// <summary>The largest body accepted: 1 MiB; anything larger is answered with 413.</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>
    /// The most a request may send in all, Kestrel's own limit: after a 413, Kestrel reads and drops the rest of a body
    /// up to this size, so that a client still sending gets the 413 rather than a connection reset under its write.
    /// </summary>
    public const int DrainedBytes = 8 * MaxBytes;

    /// <summary>Deeper JSON than any request needs (an array of rows is depth 3) is malformed here.</summary>
    private const int MaxDepth = 8;

    /// <summary>
    /// The body as JSON. It must say so (<c>Content-Type: application/json</c>), which a cross-site form or a
    /// text/plain fetch cannot send without the browser asking first: a web page cannot set a loopback server to work.
    /// </summary>
    public static async Task<JsonDocument> ReadJsonAsync(HttpRequest request)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, "send the body as JSON with Content-Type: application/json (Content-Type)");
        if (request.ContentLength > MaxBytes) throw TooLarge();
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBytes) throw TooLarge();
            buffer.Write(chunk, 0, read);
        }
        try
        {
            return JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"malformed JSON: {FirstSentence(e.Message)} (body)");
        }
        catch (ArgumentException e)
        {
            throw ApiException.BadRequest($"malformed JSON: {FirstSentence(e.Message)} (body)");
        }
    }

    private static ApiException TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {MaxBytes} bytes (body)");

    /// <summary>The parser's reason without its path and position suffix, which repeats the body back.</summary>
    private static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }
}

namespace VaeSharp.Serve.Api;

/// <summary>A request the server refuses: answered with <see cref="StatusCode"/> and <c>{"error": Message}</c>.</summary>
internal sealed class ApiException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    /// <summary>400 Bad Request: the message names the field.</summary>
    public static ApiException BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);
}

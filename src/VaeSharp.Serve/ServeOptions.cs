using System.Net;

namespace VaeSharp.Serve;

/// <summary>Where the server listens and how many inference workers it runs.</summary>
/// <param name="Host">The address to bind; loopback unless the user asks otherwise.</param>
/// <param name="Port">The TCP port; 0 picks a free one.</param>
/// <param name="Workers">Requests that may run the model at once; the rest queue.</param>
public sealed record ServeOptions(IPAddress Host, int Port, int Workers = 2)
{
    /// <summary>The default port of <c>vae serve</c>.</summary>
    public const int DefaultPort = 5000;

    /// <summary>Whether only this machine can reach the server.</summary>
    public bool IsLoopback => IPAddress.IsLoopback(Host);
}

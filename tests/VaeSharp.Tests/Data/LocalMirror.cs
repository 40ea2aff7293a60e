using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace VaeSharp.Tests.Data;

/// <summary>An HTTP server on 127.0.0.1 that serves fixed bytes by path and 404 for anything else, counting requests.</summary>
internal sealed class LocalMirror : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, byte[]> _files = new();
    private readonly Task _serving;
    private int _requestCount;
    private int _failuresLeft;

    public LocalMirror()
    {
        BaseUrl = $"http://127.0.0.1:{FreePort()}/mnist/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }

    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>Serves <paramref name="content"/> at BaseUrl + <paramref name="name"/>.</summary>
    public void Serve(string name, byte[] content) => _files[name] = content;

    /// <summary>Answers the next <paramref name="count"/> requests with 503, as an overloaded server would.</summary>
    public void FailNext(int count) => Volatile.Write(ref _failuresLeft, count);

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }
            Interlocked.Increment(ref _requestCount);
            string name = context.Request.Url!.AbsolutePath.Split('/')[^1];
            if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                context.Response.StatusCode = 503;
            }
            else if (_files.TryGetValue(name, out byte[]? content))
            {
                context.Response.ContentLength64 = content.Length;
                await context.Response.OutputStream.WriteAsync(content);
            }
            else
            {
                context.Response.StatusCode = 404;
            }
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}

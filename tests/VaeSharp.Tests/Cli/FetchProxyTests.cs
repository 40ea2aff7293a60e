using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VaeSharp.Tests.Cli;

/// <summary><c>vae data fetch</c> goes through the proxy HTTPS_PROXY names, as HttpClient's default proxy does on Linux.</summary>
[Collection("Cli")]
public class FetchProxyTests(CliFixture fixture)
{
    [Fact]
    public async Task FetchSendsItsRequestsThroughHttpsProxy()
    {
        using var proxy = new TcpListener(IPAddress.Loopback, 0);
        proxy.Start();
        int port = ((IPEndPoint)proxy.LocalEndpoint).Port;
        var environment = new Dictionary<string, string> { ["HTTPS_PROXY"] = $"http://127.0.0.1:{port}", ["NO_PROXY"] = "" };
        using var child = ChildVae.StartWith(environment,
            "data", "fetch", "--source", "mirror", "--mirror", "https://mnist.example.invalid/", "--data-dir", fixture.NewFolder("proxied"));

        // The proxy answers nothing useful: seeing the CONNECT for the mirror's host is the point.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = await proxy.AcceptTcpClientAsync(timeout.Token);
        var buffer = new byte[1024];
        int read = await client.GetStream().ReadAsync(buffer, timeout.Token);
        Assert.StartsWith("CONNECT mnist.example.invalid:443", Encoding.ASCII.GetString(buffer, 0, read));
    }
}

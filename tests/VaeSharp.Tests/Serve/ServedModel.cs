using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using VaeSharp.Data;
using VaeSharp.Models;
using VaeSharp.Serve;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Serve;

/// <summary>
/// A small untrained 28×28 model served with a map of synthetic digits, in memory (TestServer) or on a free loopback
/// port (Kestrel) for the browser. The model and digits stay reachable so tests can compare with the library.
/// </summary>
internal sealed class ServedModel : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServedModel(Explorer explorer, WebApplication app, HttpClient client)
    {
        Explorer = explorer;
        _app = app;
        Client = client;
    }

    public Explorer Explorer { get; }

    public VaeModel Model => Explorer.Model;

    public HttpClient Client { get; }

    /// <summary>The page's address when served on a socket.</summary>
    public string Url => _app.Urls.First() + "/";

    public static ModelSpec Spec(int latent = 2, bool masked = false, bool conditional = false) =>
        new() { Name = "tiny", InputShape = [28, 28], Hidden = [24], Latent = latent, Masked = masked || conditional, Conditional = conditional };

    /// <summary>Digits with random strokes and labels 0..9 in turn.</summary>
    public static Dataset Digits(int count, ulong seed = 3)
    {
        var rng = new Rng(seed);
        var pixels = new byte[count * 784];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = rng.NextDouble() < 0.2 ? (byte)rng.NextInt(256) : (byte)0;
        return new Dataset(pixels, [.. Enumerable.Range(0, count).Select(i => (byte)(i % 10))], count, 28, 28, "synthetic");
    }

    public static async Task<ServedModel> StartInMemoryAsync(ModelSpec spec, int digits = 40, JsonElement? eval = null)
    {
        var explorer = Explorer.Create(new VaeModel(spec, new Rng(7)), digits > 0 ? Digits(digits) : null, 10_000, eval);
        var app = ExplorerServer.Build(explorer, new ServeOptions(IPAddress.Loopback, 0), web => web.UseTestServer());
        await app.StartAsync();
        return new ServedModel(explorer, app, app.GetTestClient());
    }

    public static async Task<ServedModel> StartOnSocketAsync(ModelSpec spec, int digits = 200)
    {
        var explorer = Explorer.Create(new VaeModel(spec, new Rng(7)), Digits(digits), 10_000, null);
        var app = ExplorerServer.Build(explorer, new ServeOptions(IPAddress.Loopback, 0));
        await app.StartAsync();
        return new ServedModel(explorer, app, new HttpClient { BaseAddress = new Uri(app.Urls.First()) });
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string json, string contentType = "application/json") =>
        await PostAsync(path, Encoding.UTF8.GetBytes(json), contentType);

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, byte[] body, string contentType = "application/json")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        return await SendAsync(path, content);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        return (response.StatusCode, await ReadAsync(response));
    }

    private async Task<(HttpStatusCode, JsonElement)> SendAsync(string path, HttpContent content)
    {
        using (content)
        {
            using var response = await Client.PostAsync(path, content);
            return (response.StatusCode, await ReadAsync(response));
        }
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        return document.RootElement.Clone();
    }

    public static float[] Floats(JsonElement array) => [.. array.EnumerateArray().Select(value => value.GetSingle())];

    public static float[] Rows(JsonElement rows) => [.. rows.EnumerateArray().SelectMany(Floats)];

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using System.Net;
using System.Text;
using System.Text.Json;

namespace VaeSharp.Tests.Serve;

/// <summary>Refusals: the status, and an error message that names the field.</summary>
public class ApiErrorTests
{
    private static readonly string Image = "[" + string.Join(",", Enumerable.Repeat("0.5", 784)) + "]";
    private static readonly string Mask = "[" + string.Join(",", Enumerable.Repeat("1", 784)) + "]";

    [Theory]
    [InlineData("/api/decode", "{\"z\": [[0.1, 0.2", "malformed JSON", "(body)")]
    [InlineData("/api/decode", "", "malformed JSON", "(body)")]
    [InlineData("/api/decode", "[1, 2]", "must be a JSON object", "(body)")]
    [InlineData("/api/decode", "{\"z\": [[0.1, NaN]]}", "malformed JSON", "(body)")]
    [InlineData("/api/decode", "{\"z\": [[0.1, 1e400]]}", "finite", "(z[0][1])")]
    [InlineData("/api/decode", "{\"z\": [[0.1, 1e39]]}", "outside", "(z[0][1])")]
    [InlineData("/api/decode", "{\"z\": [[0.1, 0.2, 0.3]]}", "3 values, 2 are needed", "(z[0])")]
    [InlineData("/api/decode", "{\"z\": [[0.1, \"0.2\"]]}", "must be a number, not a string", "(z[0][1])")]
    [InlineData("/api/decode", "{\"z\": []}", "at least one row", "(z)")]
    [InlineData("/api/decode", "{\"z\": 5}", "must be an array, not a number", "(z)")]
    [InlineData("/api/decode", "{}", "missing", "(z)")]
    [InlineData("/api/decode", "{\"z\": [[0, 0]], \"path\": \"/etc/passwd\"}", "unknown field", "(\"path\")")]
    [InlineData("/api/decode", "{\"z\": [[0, 0]], \"z\": [[0, 0]]}", "twice", "(z)")]
    [InlineData("/api/decode", "{\"z\": [[0, 0]], \"\\ud800\": 1}", "not valid Unicode", "(body)")]
    [InlineData("/api/generate", "{\"count\": 1, \"seed\": 1, \"\\udfff\\ud800\": 1}", "not valid Unicode", "(body)")]
    [InlineData("/api/decode", "{\"z\": [[[[[[[[[[0]]]]]]]]]]}", "malformed JSON", "(body)")]
    [InlineData("/api/generate", "{\"count\": 0, \"seed\": 1}", "outside 1..1024", "(count)")]
    [InlineData("/api/generate", "{\"count\": 2.5, \"seed\": 1}", "whole number", "(count)")]
    [InlineData("/api/generate", "{\"count\": 2, \"seed\": -1}", "outside", "(seed)")]
    [InlineData("/api/generate", "{\"count\": true, \"seed\": 1}", "not a boolean", "(count)")]
    [InlineData("/api/encode", "{\"images\": [[0.5]]}", "1 values, 784 are needed", "(images[0])")]
    public async Task BadBodiesGet400NamingTheField(string path, string body, string reason, string field)
    {
        await using var served = await ServedModel.StartInMemoryAsync(ServedModel.Spec());
        var (status, reply) = await served.PostAsync(path, body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        string error = reply.GetProperty("error").GetString()!;
        Assert.Contains(reason, error);
        Assert.EndsWith(field, error);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task ABodyThatDoesNotSayItIsJsonGets415(string contentType)
    {
        // What a cross-site form or a simple fetch can send without the browser asking the server first.
        await using var served = await ServedModel.StartInMemoryAsync(ServedModel.Spec());
        var (status, reply) = await served.PostAsync("/api/generate", "{\"count\": 1, \"seed\": 1}", contentType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.EndsWith("(Content-Type)", reply.GetProperty("error").GetString());
        var (ok, _) = await served.PostAsync("/api/generate", "{\"count\": 1, \"seed\": 1}", "application/json; charset=utf-8");
        Assert.Equal(HttpStatusCode.OK, ok);
    }

    [Theory]
    [InlineData("evil.example", false)]
    [InlineData("evil.example:5097", false)]
    [InlineData("localhost:5097", true)]
    [InlineData("LOCALHOST", true)]
    [InlineData("127.0.0.1:80", true)]
    [InlineData("[::1]:5097", true)]
    public async Task OnALoopbackAddressOnlyRequestsNamingThisMachineAreAnswered(string host, bool answered)
    {
        await using var served = await ServedModel.StartInMemoryAsync(ServedModel.Spec());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/model");
        request.Headers.Host = host;

        using var response = await served.Client.SendAsync(request);

        Assert.Equal(answered ? HttpStatusCode.OK : HttpStatusCode.BadRequest, response.StatusCode);
        if (!answered)
            Assert.Equal($"this server answers requests for localhost only ({host})",
                JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ImputeChecksPixelsMaskAndSamples()
    {
        await using var served = await ServedModel.StartInMemoryAsync(ServedModel.Spec(masked: true));
        string halfMask = "[" + string.Join(",", Enumerable.Repeat("1", 783)) + ",0.5]";
        string brightImage = "[" + string.Join(",", Enumerable.Repeat("0.5", 783)) + ",1.5]";
        foreach (var (body, field) in new[]
                 {
                     ($"{{\"image\": {Image}, \"mask\": {halfMask}, \"samples\": 3}}", "(mask[783])"),
                     ($"{{\"image\": {brightImage}, \"mask\": {Mask}, \"samples\": 3}}", "(image[783])"),
                     ($"{{\"image\": {Image}, \"mask\": {Mask}, \"samples\": 17}}", "(samples)"),
                     ($"{{\"image\": {Image}, \"mask\": {Mask}}}", "(samples)"),
                     ($"{{\"image\": {Image}, \"mask\": {Mask}, \"samples\": 2, \"seed\": 1.5}}", "(seed)"),
                 })
        {
            var (status, reply) = await served.PostAsync("/api/impute", body);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.EndsWith(field, reply.GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task TooManyRowsGet400()
    {
        await using var served = await ServedModel.StartInMemoryAsync(ServedModel.Spec());
        string rows = string.Join(",", Enumerable.Repeat("[0,0]", 1025));
        var (status, reply) = await served.PostAsync("/api/decode", $"{{\"z\": [{rows}]}}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("1025 rows, at most 1024 are allowed (z)", reply.GetProperty("error").GetString());
    }

    [Fact]
    public async Task ABodyOverOneMegabyteGets413()
    {
        await using var served = await ServedModel.StartInMemoryAsync(ServedModel.Spec());
        var body = Encoding.UTF8.GetBytes("{\"z\": [[0, 0]]}" + new string(' ', 1 << 20));
        var (status, reply) = await served.PostAsync("/api/decode", body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("larger than 1048576 bytes", reply.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OnKestrelALargeBodyGets413WithOrWithoutALength(bool chunked)
    {
        await using var served = await ServedModel.StartOnSocketAsync(ServedModel.Spec(), digits: 10);
        var bytes = Encoding.UTF8.GetBytes("{\"z\": [[0, 0]]}" + new string(' ', 2 << 20));
        // Kestrel drains the rest of the body after the 413; had it closed the connection instead, a client still
        // writing would get a reset, which under load happened to about 1 request in 25: so send it many times.
        for (int attempt = 0; attempt < 20; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/decode") { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.TransferEncodingChunked = chunked; // no Content-Length: the limit is met while reading
            using var response = await served.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Contains("larger than 1048576 bytes", await response.Content.ReadAsStringAsync());
        }
        var (status, _) = await served.GetAsync("/api/model");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task UnknownRoutesGet404AndWrongMethods405()
    {
        await using var served = await ServedModel.StartInMemoryAsync(ServedModel.Spec());
        var (status, reply) = await served.GetAsync("/api/nothing");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("no such route (/api/nothing)", reply.GetProperty("error").GetString());
        (status, reply) = await served.GetAsync("/api/decode");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, status);
        Assert.Contains("GET is not allowed", reply.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("/api/model", "application/json")]
    [InlineData("/", "text/html")]
    public async Task HeadOnAReadOnlyRouteGetsItsHeadersWithoutABody(string path, string mediaType)
    {
        await using var served = await ServedModel.StartOnSocketAsync(ServedModel.Spec());
        using var response = await served.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/api/latent?max=0", "(max)")]
    [InlineData("/api/latent?max=abc", "(max)")]
    [InlineData("/api/latent?max=1&max=2", "(max)")]
    [InlineData("/api/digit?index=40", "(index)")]
    [InlineData("/api/digit", "(index)")]
    public async Task BadQueriesGet400(string path, string field)
    {
        await using var served = await ServedModel.StartInMemoryAsync(ServedModel.Spec());
        var (status, reply) = await served.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.EndsWith(field, reply.GetProperty("error").GetString());
    }
}

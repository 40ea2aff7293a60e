using System.Net;
using VaeSharp.Tensors;
using Xunit.Abstractions;

namespace VaeSharp.Tests.Serve;

/// <summary>
/// 1,000 seeded malformed bodies per endpoint (see <see cref="MalformedBodies"/>), in process: every one is answered
/// with 400 or 413 and a JSON error, never 500 or success, and the server still answers /api/model afterwards.
/// </summary>
public class ApiFuzzTests(ITestOutputHelper output)
{
    private const int Cases = 1000;
    private const int Latent = 3;

    private static readonly FieldShape Image = new(0, 0, 784, 0, 1, Whole: false);

    private static readonly string[] Paths = ["/api/decode", "/api/encode", "/api/impute", "/api/generate"];

    public static TheoryData<string> Endpoints => [.. Paths];

    private static EndpointShape Shape(string path) => path switch
    {
        "/api/decode" => new(path, new() { ["z"] = new(3, 1024, Latent, -100, 100, Whole: false) }, ["z"]),
        "/api/encode" => new(path, new() { ["images"] = new(2, 1024, 784, 0, 1, Whole: false) }, ["images"]),
        "/api/impute" => new(path, new()
        {
            ["image"] = Image,
            ["mask"] = new(0, 0, 784, 0, 1, Whole: true),
            ["samples"] = new(0, 0, 0, 1, 16, Whole: true),
            ["seed"] = new(0, 0, 0, 0, (1L << 53) - 1, Whole: true),
        }, ["image", "mask", "samples"]),
        _ => new(path, new()
        {
            ["count"] = new(0, 0, 0, 1, 1024, Whole: true),
            ["seed"] = new(0, 0, 0, 0, (1L << 53) - 1, Whole: true),
        }, ["count", "seed"]),
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task MalformedBodiesGet400Or413AndTheServerKeepsServing(string path)
    {
        await using var served = await ServedModel.StartInMemoryAsync(ServedModel.Spec(Latent, masked: true));
        var bodies = new MalformedBodies(Shape(path), seed: (ulong)path.Length * 7919);
        var counts = new Dictionary<HttpStatusCode, int>();
        for (int trial = 0; trial < Cases; trial++)
        {
            byte[] body = bodies.Next();
            var (status, reply) = await served.PostAsync(path, body);
            string shown = body.Length > 300 ? $"{body.Length} bytes starting {System.Text.Encoding.UTF8.GetString(body, 0, 200)}" : System.Text.Encoding.UTF8.GetString(body);
            Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge, $"{path}, case {trial}: {(int)status} for {shown}\n{reply}");
            Assert.False(string.IsNullOrEmpty(reply.GetProperty("error").GetString()), $"{path}, case {trial}: an empty error");
            counts[status] = counts.GetValueOrDefault(status) + 1;
        }
        output.WriteLine($"{path}: {string.Join(", ", counts.Select(pair => $"{(int)pair.Key}: {pair.Value}"))}");
        var (modelStatus, _) = await served.GetAsync("/api/model");
        Assert.Equal(HttpStatusCode.OK, modelStatus);
    }

    [Fact]
    public async Task TheValidBodiesTheFuzzerStartsFromAreAccepted()
    {
        // Each endpoint's valid form must pass, or the malformed cases would prove nothing.
        await using var served = await ServedModel.StartInMemoryAsync(ServedModel.Spec(Latent, masked: true));
        var rng = new Rng(1);
        foreach (string path in Paths)
        {
            var shape = Shape(path);
            string json = "{" + string.Join(",", shape.Fields.Select(field => $"\"{field.Key}\":{field.Value.Valid(rng)}")) + "}";
            var (status, reply) = await served.PostAsync(path, json);
            Assert.True(status == HttpStatusCode.OK, $"{path}: {(int)status} {reply}");
        }
    }
}

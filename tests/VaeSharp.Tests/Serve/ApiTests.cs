using System.Net;
using System.Text.Json;
using VaeSharp.Evaluation;
using VaeSharp.Imputation;
using VaeSharp.Plotting;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Serve;

/// <summary>Every endpoint's happy path, checked against the library's own Encode, Decode, Generate and imputation.</summary>
public class ApiTests
{
    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static float[][] RandomRows(int rows, int cols, ulong seed, float low, float high)
    {
        var rng = new Rng(seed);
        return [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, cols).Select(_ => rng.NextUniform(low, high)).ToArray())];
    }

    [Fact]
    public async Task ModelDescribesTheSpecAndItsLayers()
    {
        using var eval = JsonDocument.Parse("""{"test_neg_elbo": 101.5, "knn_accuracy": 0.93}""");
        await using var served = await ServedModel.StartInMemoryAsync(ServedModel.Spec(latent: 3, masked: true), eval: eval.RootElement);
        var (status, body) = await served.GetAsync("/api/model");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("tiny", body.GetProperty("name").GetString());
        Assert.Equal(3, body.GetProperty("latent").GetInt32());
        Assert.True(body.GetProperty("masked").GetBoolean());
        Assert.False(body.GetProperty("conditional").GetBoolean());
        Assert.Equal([28, 28], body.GetProperty("input_shape").EnumerateArray().Select(d => d.GetInt32()));
        Assert.Equal(served.Model.Parameters.Count, body.GetProperty("parameters").GetInt32());
        Assert.Equal(served.Model.Summary().Count, body.GetProperty("layers").GetArrayLength());
        Assert.Equal(101.5, body.GetProperty("eval").GetProperty("test_neg_elbo").GetDouble());
        Assert.Equal(40, body.GetProperty("points").GetInt32());
    }

    [Fact]
    public async Task LatentIsTheTestMeansForLatentTwo()
    {
        await using var served = await ServedModel.StartInMemoryAsync(ServedModel.Spec(latent: 2));
        var digits = served.Explorer.Digits!;
        var (means, labels) = LatentMeans.Encode(served.Model, digits, 40);
        var (status, body) = await served.GetAsync("/api/latent");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("identity", body.GetProperty("projection").GetString());
        Assert.Equal(means.Span.ToArray(), ServedModel.Rows(body.GetProperty("points")));
        Assert.Equal(labels!.Select(l => (int)l), body.GetProperty("labels").EnumerateArray().Select(l => l.GetInt32()));

        (status, body) = await served.GetAsync("/api/latent?max=7");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(7, body.GetProperty("points").GetArrayLength());
        Assert.Equal(7, body.GetProperty("labels").GetArrayLength());
    }

    [Fact]
    public async Task LatentIsAPcaProjectionFromLatentThree()
    {
        await using var served = await ServedModel.StartInMemoryAsync(ServedModel.Spec(latent: 5));
        var (means, _) = LatentMeans.Encode(served.Model, served.Explorer.Digits!, 40);
        var projected = Pca.Fit(means, 5).Project(means); // (40, 5)
        var (_, body) = await served.GetAsync("/api/latent");
        Assert.Equal("pca", body.GetProperty("projection").GetString());
        Assert.Equal(5, body.GetProperty("components").GetArrayLength());
        var points = body.GetProperty("points").EnumerateArray().ToArray();
        for (int i = 0; i < 40; i++)
            for (int axis = 0; axis < 2; axis++)
                Assert.Equal(projected.Row(i)[axis], points[i][axis].GetSingle(), 1e-4f);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task DecodeMatchesTheLibrary(int latent)
    {
        await using var served = await ServedModel.StartInMemoryAsync(ServedModel.Spec(latent));
        var z = RandomRows(5, latent, 11, -3f, 3f);
        var (status, body) = await served.PostAsync("/api/decode", Json(new { z }));
        Assert.Equal(HttpStatusCode.OK, status);
        var expected = served.Model.Decode(Tensor.FromArray([.. z.SelectMany(row => row)], 5, latent)).Span.ToArray();
        Assert.Equal(5, body.GetProperty("images").GetArrayLength());
        Assert.Equal(expected, ServedModel.Rows(body.GetProperty("images")));
    }

    [Fact]
    public async Task EncodeMatchesTheLibraryAndPlacesThePointOnTheMap()
    {
        await using var served = await ServedModel.StartInMemoryAsync(ServedModel.Spec(latent: 3));
        var images = RandomRows(3, 784, 12, 0f, 1f);
        var (status, body) = await served.PostAsync("/api/encode", Json(new { images }));
        Assert.Equal(HttpStatusCode.OK, status);
        var (mu, logVar) = served.Model.Encode(Tensor.FromArray([.. images.SelectMany(row => row)], 3, 784));
        Assert.Equal(mu.Span.ToArray(), ServedModel.Rows(body.GetProperty("mu")));
        Assert.Equal(logVar.Span.ToArray(), ServedModel.Rows(body.GetProperty("log_var")));
        var map = body.GetProperty("map").EnumerateArray().ToArray();
        var point = new float[2];
        served.Explorer.Map.Project(mu.Row(1), point);
        Assert.Equal(point, ServedModel.Floats(map[1]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ImputeMatchesTheLibraryAndKeepsObservedPixels(bool conditional)
    {
        await using var served = await ServedModel.StartInMemoryAsync(ServedModel.Spec(latent: 3, masked: true, conditional: conditional));
        var image = RandomRows(1, 784, 13, 0f, 1f)[0];
        var mask = Enumerable.Range(0, 784).Select(i => i < 392 ? 1 : 0).ToArray();
        var (status, body) = await served.PostAsync("/api/impute", Json(new { image, mask, samples = 4, seed = 9 }));
        Assert.Equal(HttpStatusCode.OK, status);
        var expected = VaeImputation.ImputeMultiple(served.Model, new MissingData(image, [.. mask.Select(m => (byte)m)], 1, 784), 4, 0, new Rng(9));
        var draws = body.GetProperty("draws").EnumerateArray().Select(ServedModel.Floats).ToArray();
        Assert.Equal(4, draws.Length);
        for (int k = 0; k < 4; k++)
        {
            Assert.Equal(expected.Draws[k], draws[k]);
            for (int i = 0; i < 392; i++) Assert.Equal(image[i], draws[k][i]);
        }
        Assert.Equal(expected.StandardDeviation, ServedModel.Floats(body.GetProperty("std")));
        Assert.Contains(expected.StandardDeviation.Skip(392), spread => spread > 0);
    }

    [Fact]
    public async Task ImputeRefusesAnUnmaskedModel()
    {
        await using var served = await ServedModel.StartInMemoryAsync(ServedModel.Spec());
        var (status, body) = await served.PostAsync("/api/impute", Json(new { image = new float[784], mask = new int[784], samples = 2 }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not masked", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task GenerateMatchesTheLibraryForTheSeed()
    {
        await using var served = await ServedModel.StartInMemoryAsync(ServedModel.Spec());
        var (status, body) = await served.PostAsync("/api/generate", Json(new { count = 6, seed = 42 }));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(served.Model.Generate(6, new Rng(42)).Span.ToArray(), ServedModel.Rows(body.GetProperty("images")));
    }

    [Fact]
    public async Task DigitIsTheTestImageWithItsLabel()
    {
        await using var served = await ServedModel.StartInMemoryAsync(ServedModel.Spec());
        var (status, body) = await served.GetAsync("/api/digit?index=13");
        Assert.Equal(HttpStatusCode.OK, status);
        var expected = new float[784];
        served.Explorer.Digits!.CopyRange(13, 1, expected);
        Assert.Equal(expected, ServedModel.Floats(body.GetProperty("image")));
        Assert.Equal(3, body.GetProperty("label").GetInt32());
    }

    [Fact]
    public async Task WithoutDigitsTheMapIsEmptyButDecodeWorks()
    {
        await using var served = await ServedModel.StartInMemoryAsync(ServedModel.Spec(latent: 3), digits: 0);
        var (_, latent) = await served.GetAsync("/api/latent");
        Assert.Equal(0, latent.GetProperty("points").GetArrayLength());
        Assert.Equal("identity", latent.GetProperty("projection").GetString());
        var (status, _) = await served.PostAsync("/api/decode", Json(new { z = new[] { new[] { 0f, 1f, 2f } } }));
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task ConcurrentRequestsQueueAndAllAnswerTheSame()
    {
        await using var served = await ServedModel.StartInMemoryAsync(ServedModel.Spec());
        string body = Json(new { z = RandomRows(16, 2, 5, -2f, 2f) });
        var replies = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => served.PostAsync("/api/decode", body)));
        Assert.All(replies, reply => Assert.Equal(HttpStatusCode.OK, reply.Status));
        var first = ServedModel.Rows(replies[0].Body.GetProperty("images"));
        Assert.All(replies, reply => Assert.Equal(first, ServedModel.Rows(reply.Body.GetProperty("images"))));
    }

    [Fact]
    public async Task ThePageIsSelfContained()
    {
        await using var served = await ServedModel.StartInMemoryAsync(ServedModel.Spec());
        using var response = await served.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        string html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("/*PAGE_", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("innerHTML", html);
        foreach (string id in (string[])["map", "hover-digit", "pad", "reconstruction", "erase", "draws", "std", "generate", "samples-grid", "eval"])
            Assert.Contains($"id=\"{id}\"", html);
    }
}

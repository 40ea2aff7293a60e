using System.Text.Json;

namespace VaeSharp.Tests.Cli;

/// <summary><c>vae bench</c> on synthetic MNIST: one JSON object with every measurement, and usage errors.</summary>
[Collection("Cli")]
public sealed class CliBenchTests(CliFixture fixture)
{
    private static readonly string[] Keys =
    [
        "preset", "batch", "threads", "gemm", "epochs", "train_samples_per_s", "infer_samples_per_s", "peak_rss_mb",
        "gemm_gflops", "gc_collections_per_epoch", "allocated_bytes_per_step",
    ];

    [Fact]
    public void JsonIsOneObjectWithEveryMeasurement()
    {
        var result = CliRunner.Run(["bench", "--preset", "pytorch-mlp", "--batch", "64", "--data-dir", fixture.DataDir, "--json"]);

        Assert.Equal(0, result.ExitCode);
        var line = Assert.Single(result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.Equal(Keys.Order(), root.EnumerateObject().Select(property => property.Name).Order());
        Assert.Equal("pytorch-mlp", root.GetProperty("preset").GetString());
        Assert.Equal(64, root.GetProperty("batch").GetInt32());
        Assert.Contains(root.GetProperty("gemm").GetString(), new[] { "openblas", "managed" });
        foreach (var key in new[] { "train_samples_per_s", "infer_samples_per_s", "peak_rss_mb", "gemm_gflops" })
            Assert.True(root.GetProperty(key).GetDouble() > 0, key);
    }

    [Fact]
    public void UnknownPresetIsAUsageError()
    {
        var result = CliRunner.Run(["bench", "--preset", "nope", "--data-dir", fixture.DataDir]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("vae: error: unknown preset 'nope'", result.StdErr);
    }
}

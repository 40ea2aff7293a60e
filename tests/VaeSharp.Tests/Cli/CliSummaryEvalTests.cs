using System.Text.Json;

namespace VaeSharp.Tests.Cli;

[Collection("Cli")]
public class CliSummaryEvalTests(CliFixture fixture)
{
    [Theory]
    [InlineData("keras-mlp", 807_700)]
    [InlineData("kingma-mlp", 1_316_824)]
    [InlineData("pytorch-mlp", 652_824)]
    [InlineData("conv", 550_629)]
    public void SummaryReportsThePresetsExactParameterCounts(string preset, int parameters)
    {
        var json = CliRunner.Run("summary", "--preset", preset, "--json");
        Assert.Equal(0, json.ExitCode);
        var root = JsonDocument.Parse(json.StdOut).RootElement;
        Assert.Equal(parameters, root.GetProperty("parameters").GetInt32());
        Assert.Equal(parameters, root.GetProperty("layers").EnumerateArray().Sum(layer => layer.GetProperty("parameters").GetInt32()));

        var table = CliRunner.Run("summary", "--preset", preset);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains($"Total params: {parameters:N0}", table.StdOut);
        Assert.DoesNotContain("\u001b[", table.StdOut); // no colour codes when stdout is not a terminal
    }

    [Fact]
    public void SummaryOfATrainedModelAndOfASpecFile()
    {
        Assert.Contains("encoder.mu", CliRunner.Run("summary", "--model", fixture.TrainedRun).StdOut);
        var spec = Path.Combine(fixture.NewFolder("spec"), "spec.json");
        File.WriteAllText(spec, """{"hidden": [64], "latent": 3}""");
        var result = CliRunner.Run("summary", "--spec", spec, "--json");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal((784 * 64 + 64) + 2 * (64 * 3 + 3) + (3 * 64 + 64) + (64 * 784 + 784),
            JsonDocument.Parse(result.StdOut).RootElement.GetProperty("parameters").GetInt32());
    }

    [Fact]
    public void SummaryDrawsTheDiagramToAPngAndRefusesAMissingFolder()
    {
        var path = Path.Combine(fixture.NewFolder("diagram"), "conv.png");
        var result = CliRunner.Run("summary", "--preset", "conv", "--diagram", path);
        Assert.Equal(0, result.ExitCode);
        var png = VaeSharp.Tests.Plotting.PngTestDecoder.Decode(File.ReadAllBytes(path));
        Assert.True(png.Height > png.Width, "the conv diagram is a tall column of boxes");

        var missing = Path.Combine(fixture.NewFolder("diagram-missing"), "no", "conv.png");
        var refused = CliRunner.Run("summary", "--preset", "conv", "--diagram", missing);
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal("vae: error: the output folder does not exist (--diagram " + missing + ")", Assert.Single(refused.ErrorLines));
        Assert.False(Directory.Exists(Path.GetDirectoryName(missing)));
    }

    [Fact]
    public void SummaryNeedsExactlyOneSource()
    {
        var result = CliRunner.Run("summary", "--preset", "conv", "--spec", "x.json");
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.ErrorLines);
    }

    [Fact]
    public void ABadConvSpecNamesTheLayerField()
    {
        var spec = Path.Combine(fixture.NewFolder("badspec"), "spec.json");
        File.WriteAllText(spec, """
            {"input_shape": [28, 28], "latent": 2,
             "encoder": [{"type": "conv2d", "filters": 8, "stride": 2}, {"type": "dense", "units": 16}],
             "decoder": [{"type": "dense", "units": 784}]}
            """);
        var result = CliRunner.Run("summary", "--spec", spec);
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("encoder[1]", line);
        Assert.Contains("flatten", line);
        Assert.EndsWith($"({spec})", line);
    }

    [Fact]
    public void EvalReportsEveryScoreAndWritesEvalJson()
    {
        var result = CliRunner.Run("eval", "--model", fixture.TrainedRun, "--data-dir", fixture.DataDir, "--iw-samples", "20", "--json");
        Assert.True(result.ExitCode == 0, result.StdErr);
        var report = JsonDocument.Parse(result.StdOut).RootElement;
        string[] keys = ["test_neg_elbo", "test_reconstruction", "test_kl", "iw_nll", "iw_samples", "reconstruction_mse", "latent_knn_accuracy", "model_sha256"];
        Assert.Equal(keys.Order(), report.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(20, report.GetProperty("iw_samples").GetInt32());
        Assert.InRange(report.GetProperty("latent_knn_accuracy").GetDouble(), 0, 1);
        Assert.Equal(VaeSharp.Plotting.RunReport.FileHash(Path.Combine(fixture.TrainedRun, "model.safetensors")), report.GetProperty("model_sha256").GetString());
        Assert.True(File.Exists(Path.Combine(fixture.TrainedRun, "eval.json")));
    }
}

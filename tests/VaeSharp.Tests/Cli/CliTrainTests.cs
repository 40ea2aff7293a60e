using System.Text.Json;
using VaeSharp.Models;
using VaeSharp.Training;

namespace VaeSharp.Tests.Cli;

/// <summary><c>vae train</c> on synthetic MNIST: the JSON summary, the run folder, seeding, <c>--limit</c> and <c>--weights</c>.</summary>
[Collection("Cli")]
public sealed class CliTrainTests(CliFixture fixture)
{
    private static readonly string[] SummaryKeys =
        ["epochs", "train_loss", "test_neg_elbo", "test_reconstruction", "test_kl", "seconds", "train_samples_per_s", "stopped_early", "out"];

    [Fact]
    public void JsonSummaryIsOneObjectWithEveryKey()
    {
        var result = CliRunner.Run(fixture.TrainArgs(fixture.NewFolder("json-run")));

        Assert.Equal(0, result.ExitCode);
        var line = Assert.Single(result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var summary = JsonDocument.Parse(line);
        Assert.Equal(JsonValueKind.Object, summary.RootElement.ValueKind);
        Assert.Equal(SummaryKeys.Order(), summary.RootElement.EnumerateObject().Select(property => property.Name).Order());
        Assert.Equal(2, summary.RootElement.GetProperty("epochs").GetInt32());
        Assert.True(double.IsFinite(summary.RootElement.GetProperty("test_neg_elbo").GetDouble()));
        Assert.DoesNotContain("vae: error", result.StdErr);
    }

    [Fact]
    public void RunFolderHoldsTheModelAndOneMetricsLinePerEpoch()
    {
        var folder = fixture.TrainedRun;

        Assert.Equal(Path.GetFullPath(folder), fixture.TrainedSummary.GetProperty("out").GetString());
        Assert.True(File.Exists(Path.Combine(folder, ModelFile.FileName)));
        var lines = File.ReadAllLines(Path.Combine(folder, RunDirectory.MetricsFileName));
        Assert.Equal(2, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            using var metrics = JsonDocument.Parse(lines[i]);
            Assert.Equal(i + 1, metrics.RootElement.GetProperty("epoch").GetInt32());
            Assert.True(double.IsFinite(metrics.RootElement.GetProperty("train_loss").GetDouble()));
            Assert.True(double.IsFinite(metrics.RootElement.GetProperty("test_neg_elbo").GetDouble()));
        }
    }

    [Fact]
    public void SameSeedGivesBitIdenticalWeights()
    {
        var again = fixture.NewFolder("seed-again");

        Assert.Equal(0, CliRunner.Run(fixture.TrainArgs(again)).ExitCode);

        Assert.Equal(File.ReadAllBytes(Path.Combine(fixture.TrainedRun, ModelFile.FileName)),
            File.ReadAllBytes(Path.Combine(again, ModelFile.FileName)));
    }

    [Fact]
    public void LimitTrainsOnTheFirstImagesOnly()
    {
        var folder = fixture.NewFolder("limit");

        var result = CliRunner.Run(["train", "--data-dir", fixture.DataDir, "--epochs", "1", "--batch", "64", "--limit", "100", "--out", folder]);

        Assert.Equal(0, result.ExitCode);
        // Samples per second times seconds is the number of images one epoch went through.
        using var metrics = JsonDocument.Parse(File.ReadAllLines(Path.Combine(folder, RunDirectory.MetricsFileName)).Single());
        double samples = metrics.RootElement.GetProperty("train_samples_per_s").GetDouble() * metrics.RootElement.GetProperty("train_seconds").GetDouble();
        Assert.Equal(100, samples, 1e-6);
    }

    [Fact]
    public void LimitTrainsOnTheSameImagesAsATableOfOnlyTheFirstOnes()
    {
        // A data folder whose training files hold only the first 100 images and labels, test files unchanged.
        var firstOnly = fixture.NewFolder("first-100");
        foreach (var (name, content) in fixture.Mnist.Contents)
        {
            int header = name == VaeSharp.Data.MnistFiles.TrainImages.Name ? 16 : name == VaeSharp.Data.MnistFiles.TrainLabels.Name ? 8 : 0;
            var bytes = content;
            if (header > 0)
            {
                bytes = content[..(header + 100 * (header == 16 ? 784 : 1))];
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), 100);
            }
            File.WriteAllBytes(Path.Combine(firstOnly, name), bytes);
        }
        string limited = fixture.NewFolder("limited"), truncated = fixture.NewFolder("truncated");
        string[] common = ["train", "--epochs", "1", "--batch", "64", "--seed", "3"];

        Assert.Equal(0, CliRunner.Run([.. common, "--data-dir", fixture.DataDir, "--limit", "100", "--out", limited]).ExitCode);
        Assert.Equal(0, CliRunner.Run([.. common, "--data-dir", firstOnly, "--out", truncated]).ExitCode);

        // Same seed, same images in the same order: the same weights, bit for bit. Any other 100 images would differ.
        Assert.Equal(File.ReadAllBytes(Path.Combine(truncated, ModelFile.FileName)), File.ReadAllBytes(Path.Combine(limited, ModelFile.FileName)));
    }

    [Fact]
    public void WeightsAreLoadedInsteadOfTraining()
    {
        var folder = fixture.NewFolder("weights");
        var weights = Path.Combine(fixture.TrainedRun, ModelFile.FileName);

        var result = CliRunner.Run(["train", "--data-dir", fixture.DataDir, "--weights", weights, "--epochs", "7", "--seed", "3", "--out", folder, "--json"]);

        Assert.Equal(0, result.ExitCode);
        using var summary = JsonDocument.Parse(result.StdOut);
        Assert.Equal(0, summary.RootElement.GetProperty("epochs").GetInt32());
        Assert.Equal(JsonValueKind.Null, summary.RootElement.GetProperty("train_loss").ValueKind);
        double loaded = summary.RootElement.GetProperty("test_neg_elbo").GetDouble();
        double trained = fixture.TrainedSummary.GetProperty("test_neg_elbo").GetDouble();
        Assert.True(double.IsFinite(loaded));
        // The loaded model is the trained one; only the sampled z differs between the two evaluations.
        Assert.InRange(loaded, trained - 5, trained + 5);
        // The run folder holds the same weights (its file lacks the checkpoint's epoch metadata).
        Assert.Equal(ModelFile.Load(weights).Parameters.Values, ModelFile.Load(Path.Combine(folder, ModelFile.FileName)).Parameters.Values);
    }

    [Fact]
    public void HelpGoesToStdoutAndSucceeds()
    {
        var result = CliRunner.Run("train", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.StdOut);
        Assert.Contains("--epochs", result.StdOut);
        Assert.Equal("", result.StdErr);
    }
}

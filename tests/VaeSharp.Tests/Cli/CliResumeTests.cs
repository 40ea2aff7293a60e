using System.Text.Json;
using VaeSharp.Models;

namespace VaeSharp.Tests.Cli;

[Collection("Cli")]
public class CliResumeTests(CliFixture fixture)
{
    private string[] Train(string outDir, int epochs, params string[] extra) =>
        ["train", "--data-dir", fixture.DataDir, "--epochs", epochs.ToString(), "--batch", "64", "--seed", "3", "--out", outDir, "--json", .. extra];

    [Fact]
    public void TrainTwoThenResumeToThreeEqualsThreeStraight()
    {
        var straight = fixture.NewFolder("straight");
        Assert.Equal(0, CliRunner.Run(Train(straight, 3, "--kl-warmup", "2")).ExitCode);

        var resumed = fixture.NewFolder("resumed");
        Assert.Equal(0, CliRunner.Run(Train(resumed, 2, "--kl-warmup", "2")).ExitCode);
        var result = CliRunner.Run("resume", "--model", resumed, "--epochs", "3", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, JsonDocument.Parse(result.StdOut).RootElement.GetProperty("epochs").GetInt32());
        Assert.Equal(ModelFile.Load(Path.Combine(straight, ModelFile.FileName)).Parameters.Values,
            ModelFile.Load(Path.Combine(resumed, ModelFile.FileName)).Parameters.Values);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(resumed, "metrics.jsonl")).Length);
        Assert.Equal(3UL, JsonDocument.Parse(File.ReadAllText(Path.Combine(resumed, "training.json"))).RootElement.GetProperty("options").GetProperty("seed").GetUInt64()); // --seed 3, as given
    }

    [Fact]
    public void AConvRunResumesWithItsRecordedThreadsToTheStraightRunsBits()
    {
        // The convolutions split their sums by worker, so the thread count changes the bits: resume must take the run's.
        // Child processes, so that no thread budget is set in the test host, where other tests run meanwhile; the
        // resume starts with every core (two on our machines), as a new process does.
        string[] Conv(string folder, int epochs) => [.. Train(folder, epochs, "--preset", "conv", "--limit", "64", "--threads", "1")];
        static void Run(string[] args)
        {
            using var child = ChildVae.Start(args);
            Assert.True(child.WaitForExit() == 0, child.StdErr);
        }
        var straight = fixture.NewFolder("conv-straight");
        Run(Conv(straight, 2));
        var resumed = fixture.NewFolder("conv-resumed");
        Run(Conv(resumed, 1));
        Assert.Equal(1, JsonDocument.Parse(File.ReadAllText(Path.Combine(resumed, "training.json"))).RootElement.GetProperty("options").GetProperty("threads").GetInt32());

        Run(["resume", "--model", resumed, "--epochs", "2"]);

        Assert.Equal(ModelFile.Load(Path.Combine(straight, ModelFile.FileName)).Parameters.Values,
            ModelFile.Load(Path.Combine(resumed, ModelFile.FileName)).Parameters.Values);
    }

    [Fact]
    public void ARunStoppedByPatienceSaysSoWhenResumed()
    {
        var folder = fixture.NewFolder("patience");
        Assert.Equal(0, CliRunner.Run(Train(folder, 60, "--limit", "100", "--lr", "0.01", "--patience", "1")).ExitCode);
        Assert.True(JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "training.json"))).RootElement.GetProperty("state").GetProperty("stopped_early").GetBoolean());

        var result = CliRunner.Run("resume", "--model", folder, "--epochs", "70");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("the run stopped early at epoch", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void ResumingAFinishedRunAsksForMoreEpochs()
    {
        var result = CliRunner.Run("resume", "--model", fixture.TrainedRun);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--epochs", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void ResumingAFolderWithoutACheckpointIsAUsageError()
    {
        var result = CliRunner.Run("resume", "--model", fixture.NewFolder("empty"), "--epochs", "3");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("training.json", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void CustomArchitectureOptionsShapeTheModel()
    {
        var folder = fixture.NewFolder("custom");
        var result = CliRunner.Run(Train(folder, 1, "--hidden", "32,16", "--latent", "3", "--activation", "tanh",
            "--optimizer", "rmsprop", "--kl-weight", "0.5"));
        Assert.Equal(0, result.ExitCode);
        var spec = ModelFile.Load(Path.Combine(folder, ModelFile.FileName)).Spec;
        Assert.Equal([32, 16], spec.Hidden);
        Assert.Equal((3, VaeSharp.Nn.ActivationKind.Tanh, 0.5f), (spec.Latent, spec.Activation, spec.KlWeight));
    }

    [Theory]
    [InlineData("--hidden", "512,x")]
    [InlineData("--hidden", "0")]
    [InlineData("--optimizer", "lbfgs")]
    [InlineData("--kl-weight", "-1")]
    [InlineData("--patience", "-2")]
    public void BadArchitectureOrTrainingOptionsAreUsageErrors(string option, string value)
    {
        var result = CliRunner.Run(fixture.TrainArgs(fixture.NewFolder("bad"), option, value));
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith($"({option})", Assert.Single(result.ErrorLines));
    }
}

using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using VaeSharp.IO;
using VaeSharp.Training;

namespace VaeSharp.Tests.Cli;

/// <summary>
/// No output option destroys what is saved: not a run's state, not the model file a verb reads, not a device or fifo
/// (which an atomic rename would replace), and a failed <c>train --force</c> keeps the run it would have replaced.
/// </summary>
[Collection("Cli")]
public sealed class CliOutputSafetyTests(CliFixture fixture)
{
    /// <summary>A copy of the fixture's trained run, which a test may try to damage, and a link to its folder.</summary>
    private (string Run, string Link) CopyOfTheRun(string name)
    {
        var run = fixture.CopyOfTrainedRun(name);
        var link = run + "-link";
        Directory.CreateSymbolicLink(link, run);
        return (run, link);
    }

    private static Dictionary<string, string> Hashes(string folder) =>
        Directory.GetFiles(folder).ToDictionary(file => Path.GetFileName(file), file => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))));

    [Theory]
    [InlineData("generate", "{run}/model.safetensors")]
    [InlineData("manifold", "{link}/training.json")]
    [InlineData("latent", "{link}/metrics.jsonl")]
    [InlineData("export", "{run}/training.json")]
    [InlineData("masks", "{link}/model.safetensors")]
    [InlineData("impute-csv", "{run}/eval.json")]
    [InlineData("reconstruct", "{link}/.lock")]
    public void AnOutputNeverReplacesARunsSavedState(string verb, string target)
    {
        var (run, link) = CopyOfTheRun("saved-" + verb);
        var before = Hashes(run);
        string output = target.Replace("{run}", run).Replace("{link}", link);
        var csv = Path.Combine(fixture.NewFolder("table"), "t.csv");
        File.WriteAllText(csv, "a,b\n1,2\n,3\n4,5\n");
        string[] args = verb switch
        {
            "export" => ["export", "--model", run, "--part", "decoder", "--out", output],
            "masks" => ["masks", "make", "--kind", "pixel", "--fractions", "0.5", "--train-count", "4", "--test-count", "2", "--out", output],
            "impute-csv" => ["impute-csv", "--in", csv, "--out", output, "--method", "mean"],
            "latent" => ["latent", "--model", run, "--data-dir", fixture.DataDir, "--out", output],
            _ => [verb, "--model", run, "--out", output],
        };

        var result = CliRunner.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"would replace {Path.GetFileName(output)} of the run in {run}", Assert.Single(result.ErrorLines));
        Assert.Equal(before, Hashes(run));
    }

    [Fact]
    public void AVerbWillNotReplaceTheModelFileItReads()
    {
        var decoder = Path.Combine(fixture.NewFolder("part"), "decoder.safetensors");
        Assert.Equal(0, CliRunner.Run("export", "--model", fixture.TrainedRun, "--part", "decoder", "--out", decoder).ExitCode);
        var bytes = File.ReadAllBytes(decoder);

        var result = CliRunner.Run("generate", "--model", decoder, "--out", decoder);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--out would replace the file the verb reads", Assert.Single(result.ErrorLines));
        Assert.Equal(bytes, File.ReadAllBytes(decoder));
    }

    [Fact]
    public void AnExportOutsideARunMayBeReplacedButNotByAVerbThatReadsIt()
    {
        var deployed = Path.Combine(fixture.NewFolder("deploy"), "model.safetensors");
        Assert.Equal(0, CliRunner.Run("export", "--model", fixture.TrainedRun, "--part", "vae", "--out", deployed).ExitCode);

        var again = CliRunner.Run("export", "--model", fixture.TrainedRun, "--part", "vae", "--out", deployed);
        var overRead = CliRunner.Run("generate", "--model", Path.GetDirectoryName(deployed)!, "--out", deployed);

        Assert.True(again.ExitCode == 0, again.StdErr);
        Assert.Equal(2, overRead.ExitCode);
        Assert.Contains("--out would replace the file the verb reads", Assert.Single(overRead.ErrorLines));
    }

    [Fact]
    public void AFifoIsNeverReplacedByAFile()
    {
        if (!OperatingSystem.IsLinux()) return;
        var fifo = Path.Combine(fixture.NewFolder("fifo"), "pipe");
        using (var mkfifo = Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        Assert.True(FileType.IsSpecial(fifo));

        var result = CliRunner.Run("generate", "--model", fixture.TrainedRun, "--out", fifo);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--out names a device or another special file", Assert.Single(result.ErrorLines));
        Assert.Throws<IOException>(() => AtomicFile.WriteAllText(fifo, "text"));
        Assert.True(FileType.IsSpecial(fifo), "the fifo was replaced by a file");
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("mismatched")]
    public void TrainForceWithWeightsItCannotLoadKeepsTheRunItWouldReplace(string kind)
    {
        var (run, _) = CopyOfTheRun("force-" + kind);
        var before = Hashes(run);
        var weights = Path.Combine(fixture.NewFolder("weights"), "w.safetensors");
        if (kind == "garbage") File.WriteAllBytes(weights, [1, 2, 3]);
        else Assert.Equal(0, CliRunner.Run("export", "--model", run, "--part", "decoder", "--out", weights).ExitCode);

        var result = CliRunner.Run(fixture.TrainArgs(run, "--force", "--weights", weights));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("vae: error: ", Assert.Single(result.ErrorLines));
        Assert.Equal(before, Hashes(run));
    }

    [Fact]
    public void ALimitInTrainingJsonThatIsNotANumberIsAnErrorNamingTheFile()
    {
        var (run, _) = CopyOfTheRun("limit");
        var state = Path.Combine(run, Checkpoint.StateFileName);
        var json = JsonNode.Parse(File.ReadAllText(state))!;
        json["data_source"]!["limit"] = "abc";
        File.WriteAllText(state, json.ToJsonString());

        var result = CliRunner.Run("resume", "--model", run, "--epochs", "3");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"vae: error: malformed training.json: data_source: limit 'abc' is not a positive whole number ({state})", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void ATruncatedEvalJsonIsAnErrorNamingTheFile()
    {
        var (run, _) = CopyOfTheRun("eval");
        var eval = Path.Combine(run, "eval.json");
        File.WriteAllText(eval, """{"test_neg_elbo": 1""");

        var result = CliRunner.Run("report", "--model", run, "--data-dir", fixture.DataDir, "--out", Path.Combine(run, "r.html"));

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("vae: error: malformed eval.json: ", line);
        Assert.EndsWith($"({eval})", line);
    }
}

using VaeSharp.Data;
using VaeSharp.Models;

namespace VaeSharp.Tests.Cli;

/// <summary>
/// Every failure is one line on stderr, <c>vae: error: &lt;what&gt; (&lt;file or option&gt;)</c>, with exit code 2 for
/// a bad command line and 1 for a bad file, never a stack trace, and nothing on stdout when it fails before training.
/// </summary>
[Collection("Cli")]
public sealed class CliErrorTests(CliFixture fixture)
{
    /// <summary>A failing command: its arguments, the exit code, what the error line ends with in parentheses, and other words it must hold.</summary>
    private sealed record ErrorCase(int ExitCode, Func<CliFixture, (string[] Args, string Subject)> Make, params string[] AlsoMentions);

    private static readonly Dictionary<string, ErrorCase> Cases = new()
    {
        ["no-verb"] = new(2, _ => ([], "vae")),
        ["unknown-verb"] = new(2, _ => (["bogus"], "bogus")),
        ["data-without-subcommand"] = new(2, _ => (["data"], "vae data")),
        ["train-epochs-zero"] = new(2, _ => (["train", "--epochs", "0"], "--epochs")),
        ["train-batch-negative"] = new(2, _ => (["train", "--batch", "-1"], "--batch")),
        ["train-lr-zero"] = new(2, _ => (["train", "--lr", "0"], "--lr")),
        ["train-batch-not-a-number"] = new(2, _ => (["train", "--batch", "abc"], "--batch"), "abc"),
        ["train-lr-not-a-number"] = new(2, _ => (["train", "--lr", "fast"], "--lr"), "fast"),
        ["train-unknown-preset"] = new(2, _ => (["train", "--preset", "nope"], "--preset"), "nope"),
        ["train-unknown-option"] = new(2, _ => (["train", "--frobnicate"], "--frobnicate")),
        ["train-stray-argument"] = new(2, _ => (["train", "extra"], "extra")),
        ["train-missing-weights"] = new(2, f => (["train", "--weights", "/nonexistent/w.safetensors", "--data-dir", f.DataDir],
            "/nonexistent/w.safetensors")),
        ["train-missing-spec"] = new(2, _ => (["train", "--spec", "/nonexistent/spec.json"], "/nonexistent/spec.json")),
        ["manifold-no-such-folder"] = new(2, _ => (["manifold", "--model", "/nonexistent/dir"], "/nonexistent/dir")),
        ["manifold-empty-folder"] = new(2, f => EmptyModelFolder(f), ModelFile.FileName),
        ["manifold-grid-zero"] = new(2, _ => (["manifold", "--grid", "0", "--model", "x"], "--grid")),
        ["manifold-range-not-a-number"] = new(2, _ => (["manifold", "--range", "wide", "--model", "x"], "--range")),
        ["manifold-without-model"] = new(2, _ => (["manifold"], "--model")),
        ["data-info-no-such-csv"] = new(2, _ => (["data", "info", "--csv", "/nonexistent/train.csv"], "--csv"), "/nonexistent/train.csv"),
        ["data-fetch-bad-mirror-url"] = new(2, f => (["data", "fetch", "--data-dir", f.NewFolder("fetch"), "--mirror", "ftp://x/"], "--mirror")),
        ["train-truncated-images"] = new(1, f => TrainOnBrokenImages(f, content => content[..(content.Length / 2)])),
        ["train-garbled-magic"] = new(1, f => TrainOnBrokenImages(f, content => { content[2] = 0x42; return content; }), "magic"),
        ["train-missing-images"] = new(1, f => TrainWithoutImages(f), "vae data fetch", "--data-dir"),
        ["data-info-garbage-idx"] = new(1, f => DataInfoOnGarbage(f)),
        ["manifold-garbage-model"] = new(1, f => GarbageModel(f)),
        ["train-weights-garbage"] = new(1, f => TrainWithGarbageWeights(f)),
        ["train-spec-latent-zero"] = new(1, f => SpecWithLatentZero(f), "latent"),
        ["train-checkpoint-every-zero"] = new(2, _ => (["train", "--checkpoint-every", "0"], "--checkpoint-every"), "1..100000"),
        ["train-clip-grad-norm-negative"] = new(2, _ => (["train", "--clip-grad-norm", "-1"], "--clip-grad-norm"), "greater than 0"),
        ["train-threads-zero"] = new(2, _ => (["train", "--threads", "0"], "--threads"), "1..1024"),
        ["train-epochs-not-a-number"] = new(2, _ => (["train", "--epochs", "abc"], "--epochs"), "'abc' is not a whole number"),
        ["train-epochs-overflow"] = new(2, _ => (["train", "--epochs", "99999999999"], "--epochs"), "'99999999999' is out of range"),
        ["train-optimizer-unknown"] = new(2, _ => (["train", "--optimizer", "adamw"], "--optimizer"), "'adamw' is not one of adam, rmsprop, sgd"),
        ["masks-fraction-twice"] = new(2, f => (["masks", "make", "--kind", "line", "--fractions", "0.5,0.50", "--out", Path.Combine(f.NewFolder("masks"), "m.safetensors")], "--fractions"), "the fraction 0.5 is given twice"),
        ["masks-fraction-zero"] = new(2, f => (["masks", "make", "--kind", "line", "--fractions", "0,0.5", "--out", Path.Combine(f.NewFolder("masks"), "m.safetensors")], "--fractions"), "above 0 and at most 1"),
        ["train-latent-too-large"] = new(2, _ => (["train", "--latent", "5000"], "--latent"), "1..4096"),
        ["train-out-under-a-file"] = new(2, f => TrainInto(f, Path.Combine(FileIn(f), "run")), "not writable"),
        ["train-out-in-proc"] = new(2, f => TrainInto(f, "/proc/vaesharp-run"), "not writable"),
        ["train-diverges"] = new(1, f => (["train", "--data-dir", f.DataDir, "--lr", "10", "--optimizer", "sgd", "--epochs", "3",
            "--out", f.NewFolder("diverged")], "--lr"), "training diverged", "at epoch 1, batch", "no checkpoint"),
        ["resume-no-such-folder"] = new(2, _ => (["resume", "--model", "/nonexistent/run"], "/nonexistent/run")),
        ["resume-a-file"] = new(2, ResumeAFile, "needs a run folder, not a file"),
        ["train-out-empty"] = new(2, _ => (["train", "--out", ""], "--out"), "is empty"),
        ["demo-out-empty"] = new(2, _ => (["demo", "--out", ""], "--out"), "is empty"),
        ["data-fetch-into-a-file"] = new(2, FetchIntoAFile, "names a file"),
        ["impute-out-empty"] = new(2, f => (["impute", "--model", f.TrainedRun, "--out", ""], "--out"), "is empty"),
        ["impute-out-with-evaluate"] = new(2, f => (["impute", "--model", f.TrainedRun, "--evaluate", "--out", "x.png"], "--out"), "--evaluate"),
        ["impute-no-such-masks"] = new(2, f => (["impute", "--model", f.TrainedRun, "--masks", "/nonexistent/m.safetensors"], "/nonexistent/m.safetensors")),
        ["masks-out-in-missing-folder"] = new(2, _ => (["masks", "make", "--kind", "pixel", "--out", "/nonexistent/m.safetensors"], "--out /nonexistent/m.safetensors")),
        ["manifold-too-large"] = new(2, f => (["manifold", "--model", f.TrainedRun, "--grid", "200", "--scale", "16", "--out", Path.Combine(f.NewFolder("big"), "m.png")], "--grid"),
            "too large", "--scale"),
        ["resume-folder-without-state"] = new(2, f => EmptyResume(f), "training.json"),
        ["resume-garbage-state"] = new(1, f => GarbageState(f), "malformed training.json"),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void FailsWithOneErrorLine(string name)
    {
        var errorCase = Cases[name];
        var (args, subject) = errorCase.Make(fixture);

        var result = CliRunner.Run(args);

        Assert.Equal(errorCase.ExitCode, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("vae: error: ", line);
        Assert.EndsWith($"({subject})", line);
        foreach (var word in errorCase.AlsoMentions) Assert.Contains(word, line);
        Assert.DoesNotContain("   at ", result.StdErr);
        Assert.DoesNotContain("Exception", result.StdErr);
        Assert.Equal("", result.StdOut);
    }

    [Fact]
    public void VerboseAddsTheStackTraceButKeepsTheExitCode()
    {
        var (args, _) = GarbageModel(fixture);

        var result = CliRunner.Run([.. args, "--verbose"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("   at ", result.StdErr);
        Assert.StartsWith("vae: error: ", result.ErrorLines[^1]);
    }

    [Fact]
    public void AFailureBeforeTrainingLeavesNoRunFolder()
    {
        var (args, _) = TrainWithoutImages(fixture);
        var outDir = args[Array.IndexOf(args, "--out") + 1];

        Assert.Equal(1, CliRunner.Run(args).ExitCode);
        Assert.False(Directory.Exists(outDir), "a failed run must not leave an empty run folder behind");
    }

    private static (string[], string) TrainInto(CliFixture fixture, string outDir) =>
        (["train", "--data-dir", fixture.DataDir, "--epochs", "1", "--out", outDir], "--out");

    /// <summary>A regular file, so that a folder under it cannot be created (ENOTDIR), even for root.</summary>
    private static string FileIn(CliFixture fixture)
    {
        var file = Path.Combine(fixture.NewFolder("plain-file"), "not-a-folder");
        File.WriteAllText(file, "");
        return file;
    }

    private static (string[], string) FetchIntoAFile(CliFixture fixture)
    {
        var file = FileIn(fixture);
        return (["data", "fetch", "--data-dir", file], "--data-dir " + file);
    }

    private static (string[], string) ResumeAFile(CliFixture fixture)
    {
        var file = FileIn(fixture);
        return (["resume", "--model", file], file);
    }

    private static (string[], string) EmptyResume(CliFixture fixture)
    {
        var folder = fixture.NewFolder("empty-run");
        return (["resume", "--model", folder], folder);
    }

    private static (string[], string) GarbageState(CliFixture fixture)
    {
        var folder = fixture.NewFolder("garbage-state");
        var file = Path.Combine(folder, "training.json");
        File.WriteAllText(file, """{"options": {"epochs": 0}}""");
        return (["resume", "--model", folder], file);
    }

    private static (string[], string) EmptyModelFolder(CliFixture fixture)
    {
        var folder = fixture.NewFolder("empty-model");
        return (["manifold", "--model", folder], folder);
    }

    /// <summary>Trains on a copy of the synthetic data whose training images were broken by <paramref name="damage"/>.</summary>
    private static (string[], string) TrainOnBrokenImages(CliFixture fixture, Func<byte[], byte[]> damage)
    {
        var dataDir = fixture.NewFolder("broken-mnist");
        fixture.WriteMnist(dataDir);
        var images = Path.Combine(dataDir, MnistFiles.TrainImages.Name);
        File.WriteAllBytes(images, damage(File.ReadAllBytes(images)));
        return (["train", "--data-dir", dataDir, "--epochs", "1", "--out", Path.Combine(dataDir, "run")], images);
    }

    private static (string[], string) TrainWithoutImages(CliFixture fixture)
    {
        var dataDir = fixture.NewFolder("incomplete-mnist");
        fixture.WriteMnist(dataDir);
        var images = Path.Combine(dataDir, MnistFiles.TrainImages.Name);
        File.Delete(images);
        return (["train", "--data-dir", dataDir, "--epochs", "1", "--out", Path.Combine(dataDir, "run")], images);
    }

    private static (string[], string) DataInfoOnGarbage(CliFixture fixture)
    {
        var file = Path.Combine(fixture.NewFolder("garbage-idx"), "images.idx");
        File.WriteAllBytes(file, "this is not an IDX file at all"u8.ToArray());
        return (["data", "info", "--idx-images", file], file);
    }

    private static (string[], string) GarbageModel(CliFixture fixture)
    {
        var folder = fixture.NewFolder("garbage-model");
        var file = Path.Combine(folder, ModelFile.FileName);
        File.WriteAllBytes(file, Enumerable.Range(0, 200).Select(i => (byte)(i * 37 + 11)).ToArray());
        return (["manifold", "--model", folder], file);
    }

    private static (string[], string) TrainWithGarbageWeights(CliFixture fixture)
    {
        var (_, file) = GarbageModel(fixture);
        return (["train", "--data-dir", fixture.DataDir, "--weights", file, "--out", fixture.NewFolder("weights-run")], file);
    }

    private static (string[], string) SpecWithLatentZero(CliFixture fixture)
    {
        var file = Path.Combine(fixture.NewFolder("spec"), "spec.json");
        File.WriteAllText(file, """{"latent": 0}""");
        return (["train", "--spec", file, "--data-dir", fixture.DataDir], file);
    }
}

using VaeSharp.IO;
using VaeSharp.Training;

namespace VaeSharp.Tests.Cli;

/// <summary>
/// Run folders are claimed, not clobbered: a new run refuses a folder that holds one (unless <c>--force</c>), and a
/// lock on <c>DIR/.lock</c> lets only one process write into a folder at a time; readers never wait.
/// </summary>
[Collection("Cli")]
public class RunFolderTests(CliFixture fixture)
{
    private string TrainedFolder(string name)
    {
        var folder = fixture.NewFolder(name);
        var result = CliRunner.Run(fixture.TrainArgs(folder));
        Assert.True(result.ExitCode == 0, result.StdErr);
        return folder;
    }

    [Fact]
    public void TheDefaultRunFolderOfASecondAlreadyTakenGetsASuffix()
    {
        var root = fixture.NewFolder("default-names");
        var first = VaeSharp.Cli.Commands.TrainCommand.DefaultRunFolder("keras-mlp", root);
        Directory.CreateDirectory(first);

        var second = VaeSharp.Cli.Commands.TrainCommand.DefaultRunFolder("keras-mlp", root);

        Assert.False(Directory.Exists(second));
        Assert.StartsWith(Path.Combine(root, "keras-mlp-"), second);
        if (second.StartsWith(first, StringComparison.Ordinal)) Assert.Equal(first + "-2", second); // the same second
    }

    private static Dictionary<string, byte[]> Snapshot(string folder) =>
        Directory.GetFiles(folder).Where(path => Path.GetFileName(path) != RunLock.FileName)
            .ToDictionary(path => Path.GetFileName(path), File.ReadAllBytes);

    [Fact]
    public void TrainIntoAFolderWithAFinishedRunExits2AndLeavesEveryByteAsItWas()
    {
        var folder = TrainedFolder("occupied");
        var before = Snapshot(folder);

        var result = CliRunner.Run(fixture.TrainArgs(folder));

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("vae: error: the folder already holds a run", line);
        Assert.Contains($"vae resume --model {folder}", line);
        Assert.Contains("--force", line);
        Assert.EndsWith($"({folder})", line);
        var after = Snapshot(folder);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (name, bytes) in before) Assert.Equal(bytes, after[name]);
    }

    [Fact]
    public void DemoIntoAFolderWithARunExits2BeforeFetchingOrTraining()
    {
        var folder = TrainedFolder("demo-occupied");
        var before = Snapshot(folder);
        var result = CliRunner.Run("demo", "--out", folder, "--data-dir", fixture.DataDir, "--epochs", "1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("already holds a run", Assert.Single(result.ErrorLines));
        Assert.Equal(before.Keys.Order(), Snapshot(folder).Keys.Order());
    }

    [Fact]
    public void ForceReplacesTheRunsOwnFilesAndLeavesForeignFilesAlone()
    {
        var folder = TrainedFolder("forced");
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");
        File.WriteAllText(Path.Combine(folder, "eval.json"), "{}");
        File.WriteAllText(Path.Combine(folder, "manifold.png"), "old");
        File.WriteAllText(Path.Combine(folder, "impute-line-0.5.png"), "old");
        File.WriteAllText(Path.Combine(folder, "model.step-99999.safetensors"), "old");
        File.WriteAllText(Path.Combine(folder, "optimizer.step-99999.safetensors"), "old");
        File.WriteAllText(Path.Combine(folder, "decoder.onnx"), "old");
        File.WriteAllText(Path.Combine(folder, "my-decoder.onnx"), "mine");

        var result = CliRunner.Run(fixture.TrainArgs(folder, "--force"));

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, "notes.txt")));
        Assert.False(File.Exists(Path.Combine(folder, "eval.json")));
        Assert.False(File.Exists(Path.Combine(folder, "manifold.png")));
        Assert.False(File.Exists(Path.Combine(folder, "impute-line-0.5.png")));
        Assert.False(File.Exists(Path.Combine(folder, "model.step-99999.safetensors")));
        Assert.False(File.Exists(Path.Combine(folder, "optimizer.step-99999.safetensors")));
        Assert.False(File.Exists(Path.Combine(folder, "decoder.onnx"))); // an export of the old weights, by export's own name
        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, "my-decoder.onnx")));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(folder, RunDirectory.MetricsFileName)).Length);
        Assert.Equal(2, Checkpoint.Load(folder).Trainer.EpochsCompleted);
    }

    [Fact]
    public void TheLockHoldsThePidAndIsExclusiveUntilReleased()
    {
        var folder = fixture.NewFolder("lock");
        using (var held = RunLock.Acquire(folder))
        {
            Assert.Equal(Environment.ProcessId, RunLock.ReadHolder(Path.Combine(folder, RunLock.FileName)));
            var e = Assert.Throws<RunFolderInUseException>(() => RunLock.Acquire(folder));
            Assert.Equal(Environment.ProcessId, e.Holder);
            Assert.Equal($"the folder is in use (by process {Environment.ProcessId}) ({held.Folder})", e.Message);
        }
        using var again = RunLock.Acquire(folder);
    }

    [Fact]
    public void WritersFailAtOnceWhileTheFolderIsLockedAndReadersDoNot()
    {
        var folder = TrainedFolder("held");
        var elsewhere = Path.Combine(fixture.NewFolder("elsewhere"), "latent.png");
        using (RunLock.Acquire(folder))
        {
            foreach (var args in new[]
            {
                new[] { "eval", "--model", folder, "--data-dir", fixture.DataDir, "--iw-samples", "2" },
                ["resume", "--model", folder, "--epochs", "3"],
                ["generate", "--model", folder],
                [.. fixture.TrainArgs(folder, "--force")],
            })
            {
                using var child = ChildVae.Start(args);
                Assert.Equal(1, child.WaitForExit());
                var line = Assert.Single(child.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                Assert.Equal($"vae: error: the folder is in use (by process {Environment.ProcessId}) ({folder})", line);
            }
            var reader = CliRunner.Run("latent", "--model", folder, "--data-dir", fixture.DataDir, "--out", elsewhere);
            Assert.True(reader.ExitCode == 0, reader.StdErr);
        }
        Assert.Equal(2, Checkpoint.Load(folder).Trainer.EpochsCompleted);
    }

    [Fact]
    public void EvalIntoAFolderWorksWhileLatentReadsItIntoAnotherFolder()
    {
        var folder = TrainedFolder("shared");
        var elsewhere = Path.Combine(fixture.NewFolder("reader"), "latent.png");
        using var reader = ChildVae.Start("latent", "--model", folder, "--data-dir", fixture.DataDir, "--out", elsewhere);
        var eval = CliRunner.Run("eval", "--model", folder, "--data-dir", fixture.DataDir, "--iw-samples", "2");
        Assert.True(eval.ExitCode == 0, eval.StdErr);
        Assert.True(reader.WaitForExit() == 0, reader.StdErr);
        Assert.True(File.Exists(Path.Combine(folder, "eval.json")));
        Assert.True(File.Exists(elsewhere));
    }

    /// <summary>
    /// Two real trains into one empty folder: the second fails at once naming the first's PID; resume fails while the
    /// first runs; after a SIGKILL the lock is gone and resume continues the survivor's checkpoint.
    /// </summary>
    [Fact]
    public void TwoConcurrentTrainsOneRunsTheOtherExits1AndTheSurvivorResumesAfterSigkill()
    {
        var folder = fixture.NewFolder("concurrent");
        string[] train = ["train", "--data-dir", fixture.DataDir, "--epochs", "1000", "--batch", "32", "--seed", "3", "--threads", "1", "--out", folder, "--json"];
        using var first = ChildVae.Start(train);
        var state = Path.Combine(folder, Checkpoint.StateFileName);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!File.Exists(state) && !first.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.False(first.HasExited, first.StdErr);
        Assert.True(File.Exists(state), "the first train wrote no checkpoint within a minute");

        using (var second = ChildVae.Start(train))
        {
            Assert.Equal(1, second.WaitForExit(30));
            Assert.Equal($"vae: error: the folder is in use (by process {first.Id}) ({folder})",
                Assert.Single(second.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        }
        var resume = CliRunner.Run("resume", "--model", folder, "--epochs", "2000");
        Assert.Equal(1, resume.ExitCode);
        Assert.Contains($"in use (by process {first.Id})", Assert.Single(resume.ErrorLines));
        Assert.False(first.HasExited, "the first train stopped while the second tried the folder");

        first.Signal("KILL");
        first.WaitForExit();
        int completed = Checkpoint.Load(folder).Trainer.EpochsCompleted;
        // A child too: the run records --threads 1, which resume would set in this test host for every test after it.
        using (var finish = ChildVae.Start("resume", "--model", folder, "--epochs", $"{completed + 1}", "--json"))
            Assert.True(finish.WaitForExit() == 0, finish.StdErr);
        Assert.Equal(completed + 1, Checkpoint.Load(folder).Trainer.EpochsCompleted);
    }

    [Fact]
    public void MasksMakeOntoAnExistingFileReplacesItWhole()
    {
        var folder = fixture.NewFolder("masks-again");
        var path = Path.Combine(folder, "masks.safetensors");
        File.WriteAllText(path, "not a safetensors file");
        var result = CliRunner.Run("masks", "make", "--kind", "pixel", "--fractions", "0.5", "--train-count", "4", "--test-count", "2", "--out", path);
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal(2, SafetensorsReader.Read(path).Tensors.Count);
        Assert.Equal(["masks.safetensors"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void ImputeCsvOutEqualToInReplacesTheInputAtomically()
    {
        var folder = fixture.NewFolder("in-place");
        var input = Path.Combine(folder, "table.csv");
        File.WriteAllText(input, "a,b\n1.5,2\nNA,4\n5,NA\n7,8\n");
        var result = CliRunner.Run("impute-csv", "--in", input, "--out", input, "--epochs", "2");
        Assert.True(result.ExitCode == 0, result.StdErr);
        var lines = File.ReadAllLines(input);
        Assert.Equal(["a,b", "1.5,2"], lines[..2]);
        Assert.Equal("7,8", lines[4]);
        Assert.DoesNotContain("NA", File.ReadAllText(input));
        Assert.Equal(["table.csv"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }
}

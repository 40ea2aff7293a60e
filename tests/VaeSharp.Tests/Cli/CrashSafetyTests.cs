using System.Text.Json;
using VaeSharp.IO;
using VaeSharp.Models;
using VaeSharp.Tensors;
using VaeSharp.Training;

namespace VaeSharp.Tests.Cli;

/// <summary>
/// Kills and interrupts a real <c>vae train</c> child process, then checks that every file in the run folder is a
/// complete, valid version (or absent) and that <c>vae resume</c> continues to the end.
/// </summary>
[Collection("Cli")]
public class CrashSafetyTests(CliFixture fixture)
{
    private const int Epochs = 30;

    // Long enough (a few seconds) that the SIGINT, sent by spawning kill(1) from a busy test host, lands mid-training.
    private const int InterruptedEpochs = 150;

    private string[] TrainArgs(string folder, int epochs = Epochs) =>
        ["train", "--data-dir", fixture.DataDir, "--epochs", epochs.ToString(), "--batch", "32", "--seed", "3", "--threads", "1", "--out", folder, "--json"];

    /// <summary>
    /// Five SIGKILLs at seeded random moments: the first during <c>train</c>, the rest during <c>resume</c> (or a new
    /// <c>train</c> when the first kill came before any checkpoint). After each, the folder must be consistent.
    /// </summary>
    [Fact]
    public void KillingTrainingAtRandomMomentsNeverLeavesATornOrInconsistentCheckpoint()
    {
        var folder = fixture.NewFolder("killed");
        var rng = new Rng(77);
        int checkpointsSeen = 0;
        for (int kill = 0; kill < 5; kill++)
        {
            bool resumable = File.Exists(Path.Combine(folder, Checkpoint.StateFileName));
            using var child = ChildVae.Start(resumable ? ["resume", "--model", folder, "--json"] : [.. TrainArgs(folder), "--force"]);
            // The first kill may come before any checkpoint; the later ones wait for training to be under way (start-up
            // time varies with the machine's load), then land at a random point among the epochs' writes.
            if (kill > 0) child.WaitForStdErr("epoch ");
            Thread.Sleep(rng.NextInt(kill == 0 ? 1500 : 400));
            if (child.HasExited)
            {
                // Finished before the kill: it must have succeeded, and the checks below still apply.
                Assert.True(child.WaitForExit() == 0, child.StdErr);
                break;
            }
            child.Kill();
            child.WaitForExit();
            if (AssertFolderIsConsistent(folder)) checkpointsSeen++;
        }
        Assert.True(checkpointsSeen > 0, "no kill came after a checkpoint; the test proves little");

        // A kill can also land after the last epoch's checkpoint; resume then has nothing left to do and says so.
        bool stateSaved = File.Exists(Path.Combine(folder, Checkpoint.StateFileName));
        if (!stateSaved || Checkpoint.Load(folder).Trainer.EpochsCompleted < Epochs)
        {
            using var finish = ChildVae.Start(stateSaved ? ["resume", "--model", folder, "--json"] : [.. TrainArgs(folder), "--force"]);
            Assert.True(finish.WaitForExit() == 0, finish.StdErr);
        }
        Assert.True(AssertFolderIsConsistent(folder));
        Assert.Equal(Epochs, Checkpoint.Load(folder).Trainer.EpochsCompleted);
        Assert.Equal(Epochs, File.ReadAllLines(Path.Combine(folder, RunDirectory.MetricsFileName)).Length);
        Assert.DoesNotContain(Directory.GetFiles(folder), path => Path.GetFileName(path).Contains(".tmp-"));
    }

    /// <summary>
    /// Ctrl-C (or SIGTERM, as a service manager stops a process) saves a checkpoint at a batch boundary, exits 128 + the
    /// signal with one "interrupted" line, and resume completes.
    /// </summary>
    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public void ASignalSavesACheckpointAndExitsWithItsCode(string signal, int exitCode)
    {
        var folder = fixture.NewFolder("interrupted-" + signal);
        using (var child = ChildVae.Start([.. TrainArgs(folder, InterruptedEpochs), "--checkpoint-every", "1000"]))
        {
            child.WaitForStdErr("epoch ");
            Assert.False(child.HasExited, "training finished before the interrupt");
            child.Signal(signal);
            Assert.Equal(exitCode, child.WaitForExit());
            var lines = child.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains(lines, line => line.StartsWith("vae: stopping after this batch", StringComparison.Ordinal));
            Assert.Single(lines, line => line.StartsWith("vae: interrupted: stopped ", StringComparison.Ordinal) && line.Contains("vae resume --model"));
        }
        Assert.True(AssertFolderIsConsistent(folder));
        var (trainer, _) = Checkpoint.Load(folder);
        Assert.True(trainer.EpochsCompleted < InterruptedEpochs);

        using var finish = ChildVae.Start("resume", "--model", folder, "--json");
        Assert.True(finish.WaitForExit() == 0, finish.StdErr);
        Assert.Equal(InterruptedEpochs, Checkpoint.Load(folder).Trainer.EpochsCompleted);
    }

    /// <summary>
    /// Every file is complete and valid or absent, and temporary files are only ever hidden names. Returns whether a
    /// checkpoint exists, after checking that it loads as one consistent set.
    /// </summary>
    private static bool AssertFolderIsConsistent(string folder)
    {
        foreach (var path in Directory.GetFiles(folder))
        {
            string name = Path.GetFileName(path);
            if (name.StartsWith('.') && name.Contains(".tmp-")) continue; // a killed write's temporary file: never read
            if (name == RunLock.FileName) continue; // the folder's lock: released by the OS when the holder dies
            if (name.EndsWith(".safetensors", StringComparison.Ordinal)) SafetensorsReader.Read(path);
            else if (name == RunDirectory.MetricsFileName)
                foreach (var line in File.ReadAllLines(path)) JsonDocument.Parse(line).Dispose();
            else if (name == Checkpoint.StateFileName) Checkpoint.ParseState(File.ReadAllText(path), path);
            else Assert.Fail($"unexpected file {name}");
        }
        if (File.Exists(Path.Combine(folder, ModelFile.FileName))) ModelFile.Load(Path.Combine(folder, ModelFile.FileName));
        if (!File.Exists(Path.Combine(folder, Checkpoint.StateFileName))) return false;
        Checkpoint.Load(folder);
        return true;
    }
}

using System.Text.Json;
using VaeSharp.Tests.Data;

namespace VaeSharp.Tests.Cli;

/// <summary>
/// Shared by the whole "Cli" collection: a synthetic MNIST folder (300 training and 100 test images under the real
/// names) and one short training run on it, made on first use, so each test stays well under two seconds.
/// </summary>
public sealed class CliFixture : IDisposable
{
    public const int TrainCount = 300;
    public const int TestCount = 100;

    private readonly TempDirectory _root = new();
    private readonly Lazy<(string Folder, JsonElement Summary)> _trainedRun;
    private int _folderCount;

    public CliFixture()
    {
        Mnist = new SyntheticMnist(TrainCount, TestCount);
        DataDir = Directory.CreateDirectory(Path.Combine(_root.Path, "mnist")).FullName;
        WriteMnist(DataDir);
        _trainedRun = new Lazy<(string, JsonElement)>(Train);
    }

    internal SyntheticMnist Mnist { get; }

    /// <summary>A folder with the four valid synthetic MNIST files.</summary>
    public string DataDir { get; }

    /// <summary>The folder of a 2-epoch keras-mlp run on <see cref="DataDir"/> with seed 3.</summary>
    public string TrainedRun => _trainedRun.Value.Folder;

    /// <summary>That run's <c>--json</c> summary.</summary>
    public JsonElement TrainedSummary => _trainedRun.Value.Summary;

    /// <summary>A new empty folder under the fixture's temp root.</summary>
    public string NewFolder(string name) =>
        Directory.CreateDirectory(Path.Combine(_root.Path, $"{name}-{Interlocked.Increment(ref _folderCount)}")).FullName;

    /// <summary>A new folder holding a copy of <see cref="TrainedRun"/>'s files, for a test that changes or breaks them.</summary>
    public string CopyOfTrainedRun(string name)
    {
        var folder = NewFolder(name);
        foreach (var file in Directory.GetFiles(TrainedRun).Where(file => !Path.GetFileName(file).StartsWith('.')))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        return folder;
    }

    /// <summary>Writes the four files into <paramref name="dir"/>, gzip'd when <paramref name="gzip"/> is set.</summary>
    public void WriteMnist(string dir, bool gzip = false)
    {
        foreach (var (name, content) in Mnist.Contents)
        {
            if (gzip) File.WriteAllBytes(Path.Combine(dir, name + ".gz"), SyntheticMnist.Gzip(content));
            else File.WriteAllBytes(Path.Combine(dir, name), content);
        }
    }

    /// <summary>The arguments of the reference training command, writing to <paramref name="outDir"/>.</summary>
    public string[] TrainArgs(string outDir, params string[] extra) =>
        ["train", "--data-dir", DataDir, "--epochs", "2", "--batch", "64", "--seed", "3", "--out", outDir, "--json", .. extra];

    public void Dispose() => _root.Dispose();

    private (string, JsonElement) Train()
    {
        var folder = Path.Combine(_root.Path, "trained");
        var result = CliRunner.Run(TrainArgs(folder));
        if (result.ExitCode != 0) throw new InvalidOperationException($"the reference run failed: {result.StdErr}");
        return (folder, JsonDocument.Parse(result.StdOut).RootElement.Clone());
    }
}

using System.Text;
using System.Text.Json;
using VaeSharp.IO;
using VaeSharp.Models;

namespace VaeSharp.Training;

/// <summary>
/// A run's output folder: <c>model.safetensors</c>, <c>metrics.jsonl</c> (one JSON object per epoch) and the rest of
/// a <see cref="Checkpoint"/>. Each file is rewritten whole and atomically, so a crash never leaves a torn file.
/// </summary>
public sealed class RunDirectory
{
    /// <summary>The metrics file inside a run folder.</summary>
    public const string MetricsFileName = "metrics.jsonl";

    /// <summary>Uses the folder <paramref name="path"/>, creating it unless <paramref name="create"/> is false.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist and may not be created.</exception>
    public RunDirectory(string path, bool create = true)
    {
        Path = System.IO.Path.GetFullPath(path);
        if (create) Directory.CreateDirectory(Path);
        else if (!Directory.Exists(Path)) throw new DirectoryNotFoundException($"no such run folder ({Path})");
    }

    /// <summary>The folder's absolute path.</summary>
    public string Path { get; }

    /// <summary>Where the weights go.</summary>
    public string ModelPath => System.IO.Path.Combine(Path, ModelFile.FileName);

    /// <summary>Where the metrics go.</summary>
    public string MetricsPath => System.IO.Path.Combine(Path, MetricsFileName);

    /// <summary>Writes the model and the metrics so far, without optimizer state (for loaded, untrained models).</summary>
    public void Save(VaeModel model, IReadOnlyList<EpochMetrics> history)
    {
        ModelFile.Save(model, ModelPath);
        WriteMetrics(history);
    }

    /// <summary>Rewrites metrics.jsonl with one line per epoch.</summary>
    public void WriteMetrics(IReadOnlyList<EpochMetrics> history)
    {
        var lines = new StringBuilder();
        foreach (var metrics in history) lines.Append(JsonSerializer.Serialize(metrics)).Append('\n');
        AtomicFile.WriteAllText(MetricsPath, lines.ToString());
    }
}

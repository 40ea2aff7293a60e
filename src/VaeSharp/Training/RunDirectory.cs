using System.Text;
using System.Text.Json;
using VaeSharp.IO;
using VaeSharp.Models;

namespace VaeSharp.Training;

/// <summary>
/// A run's output folder: <c>model.safetensors</c> and <c>metrics.jsonl</c> (one JSON object per epoch).
/// Each file is rewritten whole and atomically after every epoch, so a crash never leaves a torn file.
/// </summary>
public sealed class RunDirectory
{
    /// <summary>The metrics file inside a run folder.</summary>
    public const string MetricsFileName = "metrics.jsonl";

    /// <summary>Uses (and creates) the folder <paramref name="path"/>.</summary>
    public RunDirectory(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder's absolute path.</summary>
    public string Path { get; }

    /// <summary>Where the weights go.</summary>
    public string ModelPath => System.IO.Path.Combine(Path, ModelFile.FileName);

    /// <summary>Where the metrics go.</summary>
    public string MetricsPath => System.IO.Path.Combine(Path, MetricsFileName);

    /// <summary>Writes the model and the metrics so far.</summary>
    public void Save(VaeModel model, IReadOnlyList<EpochMetrics> history)
    {
        ModelFile.Save(model, ModelPath);
        var lines = new StringBuilder();
        foreach (var metrics in history) lines.Append(JsonSerializer.Serialize(metrics)).Append('\n');
        AtomicFile.WriteAllText(MetricsPath, lines.ToString());
    }
}

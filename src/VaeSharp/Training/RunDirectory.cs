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

    /// <summary>The files that mark a folder as holding a run: a checkpoint, weights or metrics.</summary>
    public static readonly IReadOnlyList<string> RunMarkers = [Checkpoint.StateFileName, ModelFile.FileName, MetricsFileName];

    /// <summary>The files that <c>vae</c>'s verbs write by name into a run folder, besides the checkpoint's weights.</summary>
    public static readonly IReadOnlyList<string> RunFiles =
    [
        Checkpoint.StateFileName, ModelFile.FileName, MetricsFileName, "eval.json", "report.html",
        "manifold.png", "latent.png", "generate.png", "reconstruct.png", "curves.png",
        // vae export's default names: exports of the old weights would outlive them
        "encoder.safetensors", "decoder.safetensors", "vae.safetensors", "encoder.onnx", "decoder.onnx", "vae.onnx",
    ];

    /// <summary>
    /// Whether a file named <paramref name="name"/> is part of a run's saved state, which no other output may replace:
    /// the checkpoint (training.json, the weights and optimizer state of every step), metrics.jsonl and eval.json.
    /// </summary>
    public static bool IsStateFile(string name) =>
        name is Checkpoint.StateFileName or ModelFile.FileName or MetricsFileName or "eval.json"
        || (name.StartsWith("model.step-", StringComparison.Ordinal) && name.EndsWith(".safetensors", StringComparison.Ordinal))
        || (name.StartsWith("optimizer", StringComparison.Ordinal) && name.EndsWith(".safetensors", StringComparison.Ordinal));

    /// <summary>
    /// Whether the file <paramref name="path"/> is part of a run's saved state (<see cref="IsStateFile"/>) in a folder
    /// with the run's records, training.json or metrics.jsonl (a lone model.safetensors may be an export's own output),
    /// or a run's lock file, wherever it is: a new file renamed over it would leave the holder locking the old one.
    /// </summary>
    public static bool IsSavedState(string path)
    {
        string folder = System.IO.Path.GetDirectoryName(path) ?? ".", name = System.IO.Path.GetFileName(path);
        return name == RunLock.FileName || (IsStateFile(name)
            && (File.Exists(System.IO.Path.Combine(folder, Checkpoint.StateFileName)) || File.Exists(System.IO.Path.Combine(folder, MetricsFileName))));
    }

    /// <summary>Whether the folder <paramref name="path"/> exists and holds a run (training.json, model.safetensors or metrics.jsonl).</summary>
    public static bool HoldsRun(string path) =>
        Directory.Exists(path) && RunMarkers.Any(name => File.Exists(System.IO.Path.Combine(path, name)));

    /// <summary>
    /// Removes a run's own files so that a new run can replace it: <see cref="RunFiles"/>, the checkpoint's
    /// <c>model.step-*.safetensors</c>, <c>optimizer*.safetensors</c> and <c>vae impute</c>'s <c>impute-*.png</c>. Any other file in the folder stays.
    /// </summary>
    public void RemoveRunFiles()
    {
        foreach (var file in Directory.EnumerateFiles(Path))
        {
            string name = System.IO.Path.GetFileName(file);
            bool own = RunFiles.Contains(name) || IsStateFile(name)
                || (name.StartsWith("impute-", StringComparison.Ordinal) && name.EndsWith(".png", StringComparison.Ordinal));
            if (own) File.Delete(file);
        }
    }
}

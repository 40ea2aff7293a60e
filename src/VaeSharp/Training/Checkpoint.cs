using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using VaeSharp.IO;
using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Training;

/// <summary>
/// A resumable checkpoint in a run folder: <c>model.safetensors</c>, <c>optimizer.safetensors</c> (the optimizer's
/// buffers and step), <c>metrics.jsonl</c>, and <c>training.json</c> (options, epoch, generator state, data source).
/// Each file is written atomically, training.json last, and the two weight files carry the epoch in their metadata
/// so a load can tell whether all three belong to the same epoch.
/// </summary>
public static class Checkpoint
{
    /// <summary>The optimizer file inside a run folder.</summary>
    public const string OptimizerFileName = "optimizer.safetensors";

    /// <summary>The training-state file inside a run folder.</summary>
    public const string StateFileName = "training.json";

    private const string EpochKey = "vaesharp.epoch";
    private const string OptimizerKey = "vaesharp.optimizer";

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        WriteIndented = true,
    };

    /// <summary>Writes every file of the checkpoint for the trainer's current epoch.</summary>
    /// <param name="run">The run folder.</param>
    /// <param name="trainer">The trainer whose model, optimizer and state are saved.</param>
    /// <param name="dataSource">How to find the training data again on resume (free-form keys, e.g. data_dir, limit).</param>
    public static void Save(RunDirectory run, Trainer trainer, IReadOnlyDictionary<string, string> dataSource)
    {
        var state = trainer.CaptureState();
        var epoch = new Dictionary<string, string> { [EpochKey] = state.EpochsCompleted.ToString(CultureInfo.InvariantCulture) };
        ModelFile.Save(trainer.Model, run.ModelPath, epoch);

        var buffers = trainer.Optimizer.StateBuffers.Select(buffer => (buffer.Name, new Tensor(new Shape(buffer.Values.Length), buffer.Values))).ToList();
        var optimizerMetadata = new Dictionary<string, string>(epoch) { [OptimizerKey] = trainer.Optimizer.Kind.ToString() };
        AtomicFile.Write(Path.Combine(run.Path, OptimizerFileName), stream => SafetensorsWriter.Write(stream, buffers, optimizerMetadata));

        run.WriteMetrics(state.History);
        var file = new StateFile(trainer.Options, state, new Dictionary<string, string>(dataSource));
        AtomicFile.WriteAllText(Path.Combine(run.Path, StateFileName), JsonSerializer.Serialize(file, JsonOptions));
    }

    /// <summary>
    /// Rebuilds the trainer of a checkpoint, ready to continue: weights, optimizer buffers and step, epoch, generator
    /// state and history restored. <paramref name="epochs"/> replaces the total epoch count when given.
    /// </summary>
    /// <exception cref="SafetensorsFormatException">A weight file is malformed or from another epoch.</exception>
    /// <exception cref="InvalidDataException">training.json is missing or malformed.</exception>
    public static (Trainer Trainer, IReadOnlyDictionary<string, string> DataSource) Load(string folder, int? epochs = null)
    {
        var run = new RunDirectory(folder, create: false);
        var statePath = Path.Combine(run.Path, StateFileName);
        if (!File.Exists(statePath)) throw new InvalidDataException($"no {StateFileName}: not a resumable run folder ({run.Path})");
        StateFile file;
        try
        {
            file = JsonSerializer.Deserialize<StateFile>(File.ReadAllText(statePath), JsonOptions)
                ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"malformed {StateFileName}: {e.Message.Split(". ")[0]} ({statePath})");
        }

        string expectedEpoch = file.State.EpochsCompleted.ToString(CultureInfo.InvariantCulture);
        var modelFile = SafetensorsReader.Read(run.ModelPath);
        RequireEpoch(modelFile, expectedEpoch, run.ModelPath);
        var model = ModelFile.Load(modelFile, run.ModelPath);
        var options = file.Options with { Epochs = epochs ?? file.Options.Epochs };
        var trainer = new Trainer(model, options);

        var optimizerPath = Path.Combine(run.Path, OptimizerFileName);
        var optimizerFile = SafetensorsReader.Read(optimizerPath);
        RequireEpoch(optimizerFile, expectedEpoch, optimizerPath);
        StateDict.LoadInto(optimizerFile,
            trainer.Optimizer.StateBuffers.Select(buffer => (buffer.Name, new Tensor(new Shape(buffer.Values.Length), buffer.Values))).ToList(),
            optimizerPath);
        trainer.RestoreState(file.State);
        return (trainer, file.DataSource);
    }

    private static void RequireEpoch(SafetensorsFile file, string expected, string path)
    {
        if (!file.Metadata.TryGetValue(EpochKey, out var epoch) || epoch != expected)
            throw new SafetensorsFormatException(path, $"holds epoch {epoch ?? "?"} but {StateFileName} says epoch {expected}: the checkpoint is from two different epochs");
    }

    private sealed record StateFile(TrainingOptions Options, TrainerState State, Dictionary<string, string> DataSource);
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using VaeSharp.IO;
using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Training;

/// <summary>
/// A resumable checkpoint in a run folder. <c>training.json</c> (options, epoch, generator state, data source) names
/// the two weight files that belong to it, which carry the optimizer step in their names and metadata:
/// <c>model.step-N.safetensors</c> and <c>optimizer.step-N.safetensors</c> (the optimizer's buffers and step).
/// <c>model.safetensors</c> is a copy of the latest weights for the other verbs, and <c>metrics.jsonl</c> holds one line
/// per completed epoch.
/// </summary>
/// <remarks>
/// A save never overwrites the files of the checkpoint it replaces. Each file is written atomically (temporary file,
/// flush, rename), in this order: the new step's model and optimizer files, metrics.jsonl, training.json (the commit
/// point: until it is renamed, the old training.json still names the old, untouched weight files), model.safetensors,
/// and only then are the previous step's files and any temporary files a killed save left behind removed. So a kill
/// at any moment leaves training.json naming a complete, consistent set of files, and resume loads that set; the
/// weight files must also carry the step training.json records, so a set mixed by hand is refused.
/// </remarks>
public static class Checkpoint
{
    /// <summary>The training-state file inside a run folder.</summary>
    public const string StateFileName = "training.json";

    private const string StepKey = "vaesharp.step";
    private const string EpochKey = "vaesharp.epoch";
    private const string OptimizerKey = "vaesharp.optimizer";
    private const string ModelPrefix = "model.step-", OptimizerPrefix = "optimizer.step-", Extension = ".safetensors";

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        WriteIndented = true,
    };

    /// <summary>Writes a new checkpoint of the trainer's current state, then removes the one it replaces.</summary>
    /// <param name="run">The run folder.</param>
    /// <param name="trainer">The trainer whose model, optimizer and state are saved.</param>
    /// <param name="dataSource">How to find the training data again on resume (free-form keys, e.g. data_dir, limit).</param>
    /// <exception cref="IOException">A write failed (disk full, read-only folder); the previous checkpoint is intact.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable; the previous checkpoint is intact.</exception>
    public static void Save(RunDirectory run, Trainer trainer, IReadOnlyDictionary<string, string> dataSource)
    {
        var state = trainer.CaptureState();
        string step = state.OptimizerSteps.ToString(CultureInfo.InvariantCulture);
        var stamp = new Dictionary<string, string>
        {
            [StepKey] = step,
            [EpochKey] = state.EpochsCompleted.ToString(CultureInfo.InvariantCulture),
        };
        string modelName = ModelPrefix + step + Extension, optimizerName = OptimizerPrefix + step + Extension;
        ModelFile.Save(trainer.Model, Path.Combine(run.Path, modelName), stamp);
        var buffers = trainer.Optimizer.StateBuffers.Select(buffer => (buffer.Name, new Tensor(new Shape(buffer.Values.Length), buffer.Values))).ToList();
        var optimizerMetadata = new Dictionary<string, string>(stamp) { [OptimizerKey] = trainer.Optimizer.Kind.ToString() };
        AtomicFile.Write(Path.Combine(run.Path, optimizerName), stream => SafetensorsWriter.Write(stream, buffers, optimizerMetadata));

        run.WriteMetrics(state.History);
        var file = new StateFile(trainer.Options, state, new Dictionary<string, string>(dataSource), modelName, optimizerName);
        AtomicFile.WriteAllText(Path.Combine(run.Path, StateFileName), JsonSerializer.Serialize(file, JsonOptions));
        ModelFile.Save(trainer.Model, run.ModelPath, stamp);
        RemoveStale(run.Path, modelName, optimizerName);
    }

    /// <summary>
    /// Rebuilds the trainer of a checkpoint, ready to continue: weights, optimizer buffers and step, epoch (and the
    /// batch, if it was interrupted mid-epoch), generator state and history restored. <paramref name="epochs"/>
    /// replaces the total epoch count when given.
    /// </summary>
    /// <exception cref="SafetensorsFormatException">A weight file is malformed or from another step.</exception>
    /// <exception cref="ModelSpecException">The stored architecture is invalid.</exception>
    /// <exception cref="InvalidDataException">training.json or a file it names is missing, or training.json is malformed.</exception>
    public static (Trainer Trainer, IReadOnlyDictionary<string, string> DataSource) Load(string folder, int? epochs = null)
    {
        var run = new RunDirectory(folder, create: false);
        var statePath = Path.Combine(run.Path, StateFileName);
        if (!File.Exists(statePath)) throw new InvalidDataException($"no {StateFileName}: not a resumable run folder ({run.Path})");
        var file = ParseState(File.ReadAllText(statePath), statePath);

        string expectedStep = file.State.OptimizerSteps.ToString(CultureInfo.InvariantCulture);
        var modelPath = Path.Combine(run.Path, file.ModelFile);
        var modelFile = ReadNamed(modelPath, expectedStep);
        var model = ModelFile.Load(modelFile, modelPath);
        var options = file.Options with { Epochs = epochs ?? file.Options.Epochs };
        var trainer = new Trainer(model, options);

        var optimizerPath = Path.Combine(run.Path, file.OptimizerFile);
        var optimizerFile = ReadNamed(optimizerPath, expectedStep);
        StateDict.LoadInto(optimizerFile,
            trainer.Optimizer.StateBuffers.Select(buffer => (buffer.Name, new Tensor(new Shape(buffer.Values.Length), buffer.Values))).ToList(),
            optimizerPath);
        trainer.RestoreState(file.State);
        return (trainer, file.DataSource);
    }

    /// <summary>Where the run in <paramref name="folder"/> took its data from, as <see cref="Save"/> recorded it; null without a training.json.</summary>
    /// <exception cref="InvalidDataException">training.json is malformed.</exception>
    public static IReadOnlyDictionary<string, string>? ReadDataSource(string folder)
    {
        var statePath = Path.Combine(folder, StateFileName);
        return File.Exists(statePath) ? ParseState(File.ReadAllText(statePath), statePath).DataSource : null;
    }

    /// <summary>Parses and checks training.json, which may come from anywhere; every problem is an <see cref="InvalidDataException"/>.</summary>
    internal static StateFile ParseState(string json, string path)
    {
        StateFile? file;
        try
        {
            file = JsonSerializer.Deserialize<StateFile>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"malformed {StateFileName}: {e.Message.Split(". ")[0]} ({path})");
        }
        string? problem = file is null ? "it is null" : StateProblem(file);
        if (problem is not null) throw new InvalidDataException($"malformed {StateFileName}: {problem} ({path})");
        return file!;
    }

    private static string? StateProblem(StateFile file)
    {
        if (file.Options is null) return "no options";
        try
        {
            file.Options.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            return $"options.{JsonNamingPolicy.SnakeCaseLower.ConvertName(e.ParamName ?? "?")} is out of range";
        }
        if (!Enum.IsDefined(file.Options.Optimizer)) return "options.optimizer is unknown";
        var state = file.State;
        if (state is null) return "no state";
        if (state.EpochsCompleted < 0 || state.OptimizerSteps < 0 || state.EpochsWithoutImprovement < 0) return "a negative count in state";
        if (!IsRngState(state.RngState)) return "state.rng_state is not four words, not all zero";
        if (state.History is null || state.History.Any(metrics => metrics is null)) return "state.history is not a list of epochs";
        if (state.History.Count != state.EpochsCompleted) return $"state.history holds {state.History.Count} epochs, but state.epochs_completed says {state.EpochsCompleted}";
        if (state.InProgress is { } partial && (!IsRngState(partial.ShuffleRngState) || partial.StepsDone < 0 || partial.Seen < 0))
            return "state.in_progress is out of range";
        if (file.DataSource is null || file.DataSource.Values.Any(value => value is null)) return "data_source is not a map of strings";
        // The names come from the file, so they must be plain names of our own pattern: never a path out of the folder.
        if (!IsStampedName(file.ModelFile, ModelPrefix)) return "model_file is not a model.step-N.safetensors name";
        if (!IsStampedName(file.OptimizerFile, OptimizerPrefix)) return "optimizer_file is not an optimizer.step-N.safetensors name";
        return null;
    }

    private static bool IsRngState(ulong[]? state) => state is { Length: 4 } && (state[0] | state[1] | state[2] | state[3]) != 0;

    private static bool IsStampedName(string? name, string prefix) =>
        name is not null && name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(Extension, StringComparison.Ordinal)
        && name.AsSpan(prefix.Length, name.Length - prefix.Length - Extension.Length) is { Length: > 0 and < 20 } digits
        && !digits.ContainsAnyExceptInRange('0', '9');

    private static SafetensorsFile ReadNamed(string path, string expectedStep)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{StateFileName} names {Path.GetFileName(path)}, which is missing ({path})");
        var file = SafetensorsReader.Read(path);
        if (!file.Metadata.TryGetValue(StepKey, out var step) || step != expectedStep)
            throw new SafetensorsFormatException(path, $"holds step {step ?? "?"} but {StateFileName} says step {expectedStep}: the checkpoint mixes two different saves");
        return file;
    }

    /// <summary>Removes the weight files of replaced checkpoints and the temporary files of saves that were killed.</summary>
    private static void RemoveStale(string folder, string modelName, string optimizerName)
    {
        foreach (var path in Directory.EnumerateFiles(folder))
        {
            string name = Path.GetFileName(path);
            bool replaced = (IsStampedName(name, ModelPrefix) && name != modelName) || (IsStampedName(name, OptimizerPrefix) && name != optimizerName);
            bool orphanedTemp = name.StartsWith('.') && name.Contains(".tmp-", StringComparison.Ordinal)
                && (name.StartsWith(".model.", StringComparison.Ordinal) || name.StartsWith(".optimizer.", StringComparison.Ordinal)
                    || name.StartsWith("." + StateFileName, StringComparison.Ordinal) || name.StartsWith("." + RunDirectory.MetricsFileName, StringComparison.Ordinal));
            if (replaced || orphanedTemp) AtomicFile.DeleteQuietly(path);
        }
    }

    internal sealed record StateFile(TrainingOptions Options, TrainerState State, Dictionary<string, string> DataSource, string ModelFile, string OptimizerFile);
}

using VaeSharp.IO;
using VaeSharp.Tensors;

namespace VaeSharp.Models;

/// <summary>
/// Saves and loads a <see cref="VaeModel"/> as safetensors: one F32 tensor per parameter under its dotted
/// name, and the <see cref="ModelSpec"/> as JSON under <c>__metadata__["vaesharp.spec"]</c>.
/// </summary>
public static class ModelFile
{
    /// <summary>The weights file inside a run folder.</summary>
    public const string FileName = "model.safetensors";

    /// <summary>The metadata key that holds the spec.</summary>
    public const string SpecKey = "vaesharp.spec";

    /// <summary>Writes the model atomically: a crash leaves the previous file or the new one, never half of one.</summary>
    /// <param name="model">The model.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="extraMetadata">More string entries for <c>__metadata__</c>, e.g. a checkpoint's epoch.</param>
    public static void Save(VaeModel model, string path, IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        var tensors = model.Parameters.Entries.Select(entry => (entry.Name, entry.Parameter.Value)).ToList();
        var metadata = new Dictionary<string, string>(extraMetadata ?? new Dictionary<string, string>()) { [SpecKey] = model.Spec.ToJson() };
        AtomicFile.Write(path, stream => SafetensorsWriter.Write(stream, tensors, metadata));
    }

    /// <summary>Reads a model, its architecture from the metadata and its weights strictly by name and shape.</summary>
    /// <exception cref="SafetensorsFormatException">The file is malformed or does not match its spec.</exception>
    /// <exception cref="ModelSpecException">The stored spec is invalid.</exception>
    public static VaeModel Load(string path) => Load(SafetensorsReader.Read(path), path);

    /// <summary>Builds the model a read file describes and copies its weights in.</summary>
    public static VaeModel Load(SafetensorsFile file, string path)
    {
        if (!file.Metadata.TryGetValue(SpecKey, out var specJson))
            throw new SafetensorsFormatException(path, $"no {SpecKey} entry in the metadata: not a VaeSharp model");
        var model = new VaeModel(ModelSpec.FromJson(specJson, path), new Rng(0));
        LoadWeights(model, file, path);
        return model;
    }

    /// <summary>Replaces <paramref name="model"/>'s weights with those in <paramref name="path"/>.</summary>
    /// <exception cref="SafetensorsFormatException">Names or shapes do not match the model.</exception>
    public static void LoadWeights(VaeModel model, string path) => LoadWeights(model, SafetensorsReader.Read(path), path);

    private static void LoadWeights(VaeModel model, SafetensorsFile file, string path) =>
        StateDict.LoadInto(file, model.Parameters.Entries.Select(entry => (entry.Name, entry.Parameter.Value)).ToList(), path);
}

using VaeSharp.IO;
using VaeSharp.Tensors;

namespace VaeSharp.Models;

/// <summary>
/// Saves and loads a <see cref="VaeModel"/> as safetensors: one F32 tensor per parameter under its dotted
/// name, and the <see cref="ModelSpec"/> as JSON under <c>__metadata__["vaesharp.spec"]</c>. A part file holds one
/// half's tensors (the names under <c>encoder.</c> or <c>decoder.</c>, as in the whole model) and names the half
/// under <c>__metadata__["vaesharp.part"]</c>.
/// </summary>
public static class ModelFile
{
    /// <summary>The weights file inside a run folder.</summary>
    public const string FileName = "model.safetensors";

    /// <summary>The metadata key that holds the spec.</summary>
    public const string SpecKey = "vaesharp.spec";

    /// <summary>The metadata key that names the part a part file holds: <c>encoder</c> or <c>decoder</c>; absent for a whole model.</summary>
    public const string PartKey = "vaesharp.part";

    /// <summary>Writes the whole model atomically: a crash leaves the previous file or the new one, never half of one.</summary>
    /// <param name="model">The model; it must hold both halves.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="extraMetadata">More string entries for <c>__metadata__</c>, e.g. a checkpoint's epoch.</param>
    /// <exception cref="ModelPartException">The model was loaded from a part file and holds only one half.</exception>
    public static void Save(VaeModel model, string path, IReadOnlyDictionary<string, string>? extraMetadata = null) =>
        SavePart(model, ModelPart.Vae, path, extraMetadata);

    /// <summary>Writes the encoder alone (its weights and the spec), atomically; <see cref="LoadEncoder"/> reads it back.</summary>
    /// <exception cref="ModelPartException">The model does not hold its encoder.</exception>
    public static void SaveEncoder(VaeModel model, string path) => SavePart(model, ModelPart.Encoder, path);

    /// <summary>Writes the decoder alone (its weights and the spec), atomically; <see cref="LoadDecoder"/> reads it back.</summary>
    /// <exception cref="ModelPartException">The model does not hold its decoder.</exception>
    public static void SaveDecoder(VaeModel model, string path) => SavePart(model, ModelPart.Decoder, path);

    /// <summary>Writes <paramref name="part"/> of the model atomically: the whole model, or one half of it.</summary>
    /// <exception cref="ModelPartException">The model does not hold that part.</exception>
    public static void SavePart(VaeModel model, ModelPart part, string path, IReadOnlyDictionary<string, string>? extraMetadata = null)
    {
        if (!Holds(model.Part, part))
            throw new ModelPartException($"the model holds only its {Name(model.Part)}, so it cannot save its {Name(part)}");
        var tensors = Entries(model, part).ToList();
        var metadata = new Dictionary<string, string>(extraMetadata ?? new Dictionary<string, string>()) { [SpecKey] = model.Spec.ToJson() };
        if (part != ModelPart.Vae) metadata[PartKey] = Name(part);
        AtomicFile.Write(path, stream => SafetensorsWriter.Write(stream, tensors, metadata));
    }

    /// <summary>
    /// Reads a model, its architecture from the metadata and its weights strictly by name and shape. A part file
    /// gives a model whose <see cref="VaeModel.Part"/> says which half it holds; the other half cannot be run.
    /// </summary>
    /// <exception cref="SafetensorsFormatException">The file is malformed or does not match its spec.</exception>
    /// <exception cref="ModelSpecException">The stored spec is invalid.</exception>
    public static VaeModel Load(string path) => Load(SafetensorsReader.Read(path), path);

    /// <summary>Reads a file that holds the encoder: an encoder part or a whole model.</summary>
    /// <exception cref="ModelPartException">The file holds only the decoder.</exception>
    public static VaeModel LoadEncoder(string path) => Require(Load(path), ModelPart.Encoder, path);

    /// <summary>Reads a file that holds the decoder: a decoder part or a whole model.</summary>
    /// <exception cref="ModelPartException">The file holds only the encoder.</exception>
    public static VaeModel LoadDecoder(string path) => Require(Load(path), ModelPart.Decoder, path);

    /// <summary>Builds the model a read file describes and copies its weights in.</summary>
    public static VaeModel Load(SafetensorsFile file, string path)
    {
        if (!file.Metadata.TryGetValue(SpecKey, out var specJson))
            throw new SafetensorsFormatException(path, $"no {SpecKey} entry in the metadata: not a VaeSharp model");
        var part = ModelPart.Vae;
        if (file.Metadata.TryGetValue(PartKey, out var partName))
            part = partName switch
            {
                "encoder" => ModelPart.Encoder,
                "decoder" => ModelPart.Decoder,
                _ => throw new SafetensorsFormatException(path, $"{PartKey} is '{partName}', not encoder or decoder"),
            };
        var model = new VaeModel(ModelSpec.FromJson(specJson, path), new Rng(0)) { Part = part };
        StateDict.LoadInto(file, Entries(model, part).ToList(), path);
        return model;
    }

    /// <summary>Replaces <paramref name="model"/>'s weights with those in <paramref name="path"/>, a whole model's file.</summary>
    /// <exception cref="SafetensorsFormatException">Names or shapes do not match the model.</exception>
    public static void LoadWeights(VaeModel model, string path) =>
        StateDict.LoadInto(SafetensorsReader.Read(path), Entries(model, ModelPart.Vae).ToList(), path);

    /// <summary>Whether a model holding <paramref name="held"/> can serve as <paramref name="wanted"/>.</summary>
    public static bool Holds(ModelPart held, ModelPart wanted) => held == ModelPart.Vae || held == wanted;

    /// <summary>"encoder", "decoder" or "whole model", for messages and the part key.</summary>
    public static string Name(ModelPart part) => part switch
    {
        ModelPart.Encoder => "encoder",
        ModelPart.Decoder => "decoder",
        _ => "whole model",
    };

    private static VaeModel Require(VaeModel model, ModelPart wanted, string path) => Holds(model.Part, wanted)
        ? model
        : throw new ModelPartException($"the file holds only the {Name(model.Part)} of a model, not the {Name(wanted)} ({path})");

    /// <summary>The parameters of one part, by the dotted name prefix each half's layers share.</summary>
    internal static IEnumerable<(string Name, Tensor Value)> Entries(VaeModel model, ModelPart part) =>
        model.Parameters.Entries
            .Where(entry => part == ModelPart.Vae || entry.Name.StartsWith(Name(part) + ".", StringComparison.Ordinal))
            .Select(entry => (entry.Name, entry.Parameter.Value));
}

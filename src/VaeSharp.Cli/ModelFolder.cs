using VaeSharp.Models;

namespace VaeSharp.Cli;

/// <summary>
/// Resolves <c>--model</c> to a loaded model, with a clear error when it holds none: a run folder (its
/// model.safetensors), or for the verbs that need one half only, a file holding that part or a whole model.
/// </summary>
internal static class ModelFolder
{
    public static VaeModel Load(string folder)
    {
        if (!Directory.Exists(folder))
            throw new UsageException(File.Exists(folder)
                ? $"this verb needs a run folder, not a file; only export, generate, manifold, latent and eval read a model file ({folder})"
                : folder.Length == 0 ? "--model is empty; give it a run folder (--model)" : $"no such model folder ({folder})");
        var path = Path.Combine(folder, ModelFile.FileName);
        if (!File.Exists(path)) throw new UsageException($"the folder holds no {ModelFile.FileName}; train one with `vae train --out {folder}` ({folder})");
        return ModelFile.Load(path);
    }

    /// <summary>
    /// A run folder, or a safetensors file written by <c>vae export</c> (or a whole model's), that holds
    /// <paramref name="needed"/>; a file of the other half is a usage error naming --model.
    /// </summary>
    /// <param name="path">The --model value.</param>
    /// <param name="needed">The half the verb runs.</param>
    /// <param name="verb">The verb, for the message.</param>
    public static VaeModel LoadPart(string path, ModelPart needed, string verb)
    {
        if (File.Exists(path) && path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"{path} is an ONNX export, which vae does not read back; give the run folder or a safetensors part (--model)");
        var model = Directory.Exists(path) || !File.Exists(path) ? Load(path) : ModelFile.Load(path);
        if (ModelFile.Holds(model.Part, needed)) return model;
        // Export itself cannot be pointed to export: only a run folder or the whole model's file holds the other half.
        string hint = verb.StartsWith("export", StringComparison.Ordinal) || needed == ModelPart.Vae
            ? "give the run folder instead"
            : $"export it with `vae export --part {ModelFile.Name(needed)}`";
        throw new UsageException($"{path} holds only the {ModelFile.Name(model.Part)} of a model, and {verb} needs the {ModelFile.Name(needed)}; {hint} (--model)");
    }

    /// <summary>
    /// The folder that a verb's default output goes into: the run folder itself. A part file has none, since nothing
    /// is written next to an input file, so <c>--out</c> is then required.
    /// </summary>
    public static string OutputFolder(string path, string? outPath)
    {
        if (outPath is null && !Directory.Exists(path) && File.Exists(path))
            throw new UsageException("--model is a file, so give --out for what this verb writes (--out)");
        return path;
    }
}

using VaeSharp.Models;

namespace VaeSharp.Cli;

/// <summary>Resolves <c>--model DIR</c> to a loaded model, with a clear error when the folder holds none.</summary>
internal static class ModelFolder
{
    public static VaeModel Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new UsageException($"no such model folder ({folder})");
        var path = Path.Combine(folder, ModelFile.FileName);
        if (!File.Exists(path)) throw new UsageException($"the folder holds no {ModelFile.FileName}; train one with `vae train --out {folder}` ({folder})");
        return ModelFile.Load(path);
    }
}

using System.CommandLine;
using VaeSharp.Data;
using VaeSharp.IO;

namespace VaeSharp.Cli;

/// <summary>What the picture verbs share: the digit scale, the data split, and where a figure's file goes.</summary>
internal static class PictureOptions
{
    public static Option<int> Scale() => CommonOptions.IntInRange("--scale", "Nearest-neighbour enlargement of the digits", 1, 16, defaultValue: 1);

    public static Option<string> Split() => new("--split")
    {
        Description = "MNIST split to draw from: test or train",
        DefaultValueFactory = _ => "test",
    };

    /// <summary>The split's images from <c>--data-dir</c> (or the cache).</summary>
    public static Dataset LoadSplit(string? dataDir, string split)
    {
        var dir = DataDirectory.Resolve(dataDir);
        return split switch
        {
            "test" => Mnist.LoadTest(dir),
            "train" => Mnist.LoadTrain(dir),
            _ => throw new UsageException($"unknown split '{split}'; choose test or train (--split)"),
        };
    }

    /// <summary>Writes a figure (or report) atomically to <c>--out</c>, or to <paramref name="defaultName"/> in the model folder, and prints the path.</summary>
    public static void Save(string? outPath, string modelFolder, string defaultName, byte[] bytes)
    {
        string path = outPath ?? Path.Combine(modelFolder, defaultName);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder)) throw new UsageException($"the output folder does not exist (--out {path})");
        // A figure written into the model folder by its default name is a write into the run: hold the folder's lock.
        using (outPath is null ? CommonOptions.LockFolder(modelFolder, "--model") : null) AtomicFile.WriteAllBytes(path, bytes);
        Console.WriteLine(path);
    }
}

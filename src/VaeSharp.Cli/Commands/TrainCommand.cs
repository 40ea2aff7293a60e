using System.CommandLine;
using System.Text.Json;
using VaeSharp.Data;
using VaeSharp.Evaluation;
using VaeSharp.Kernels;
using VaeSharp.Models;
using VaeSharp.Tensors;
using VaeSharp.Training;

namespace VaeSharp.Cli.Commands;

/// <summary><c>vae train</c>: trains a preset on MNIST and writes model.safetensors and metrics.jsonl.</summary>
internal static class TrainCommand
{
    private static readonly Option<string> PresetName = new("--preset")
    {
        Description = "Model preset: " + string.Join(", ", Preset.All.Select(preset => preset.Name)),
        DefaultValueFactory = _ => Preset.KerasMlp.Name,
    };
    private static readonly Option<string?> SpecFile = new("--spec") { Description = "A ModelSpec JSON file instead of a preset's architecture" };
    private static readonly Option<int> Epochs = CommonOptions.IntInRange("--epochs", "Passes over the training set (default: the preset's)", 1, 100_000);
    private static readonly Option<int> Batch = CommonOptions.IntInRange("--batch", "Examples per step (default: the preset's)", 1, 65_536);
    private static readonly Option<float> LearningRate = CommonOptions.FloatInRange("--lr", "Learning rate (default: the preset's)", 0f, 10f);
    private static readonly Option<int> Latent = CommonOptions.IntInRange("--latent", "Latent dimensions (default: the preset's)", 1, 4096);
    private static readonly Option<ReconstructionLoss?> Loss = new("--loss") { Description = "Reconstruction term: bce or mse (MSE × 784)" };
    private static readonly Option<int> Limit = CommonOptions.IntInRange("--limit", "Train on the first N training images", 1, int.MaxValue);
    private static readonly Option<int> Threads = CommonOptions.IntInRange("--threads", "Threads for matrix products (default: all cores)", 1, 1024);
    private static readonly Option<string?> Weights = new("--weights") { Description = "Load these weights instead of training (as the Keras example's -w)" };
    private static readonly Option<ulong> Seed = CommonOptions.Seed();
    private static readonly Option<string?> Out = CommonOptions.Out("Run folder (default: runs/<preset>-<timestamp>)");
    private static readonly Option<string?> DataDir = CommonOptions.DataDir();
    private static readonly Option<bool> Json = CommonOptions.Json();

    public static Command Create()
    {
        var command = new Command("train", "Train a VAE on MNIST")
        {
            PresetName, SpecFile, Epochs, Batch, LearningRate, Latent, Loss, Limit, Threads, Weights, Seed, Out, DataDir, Json,
        };
        command.SetAction(parse => VaeCli.Guard(parse, () => Execute(parse)));
        return command;
    }

    private static int Execute(ParseResult parse)
    {
        var preset = Preset.Find(parse.GetValue(PresetName)!)
            ?? throw new UsageException($"unknown preset '{parse.GetValue(PresetName)}'; choose one of {string.Join(", ", Preset.All.Select(p => p.Name))} (--preset)");
        if (parse.Given(Threads) is int threads) Gemm.SetThreads(threads);
        var baseSpec = parse.GetValue(SpecFile) is string specPath
            ? ModelSpec.FromJson(File.Exists(specPath) ? File.ReadAllText(specPath) : throw new UsageException($"no such spec file ({specPath})"), specPath)
            : preset.Spec;
        var spec = baseSpec with
        {
            Latent = parse.Given(Latent) ?? baseSpec.Latent,
            Loss = parse.GetValue(Loss) ?? baseSpec.Loss,
        };
        var options = TrainingOptions.FromPreset(preset) with
        {
            Epochs = parse.Given(Epochs) ?? preset.Epochs,
            BatchSize = parse.Given(Batch) ?? preset.BatchSize,
            LearningRate = parse.Given(LearningRate) ?? preset.LearningRate,
            Seed = parse.GetValue(Seed),
        };
        var weights = parse.GetValue(Weights);
        if (weights is not null && !File.Exists(weights)) throw new UsageException($"no such weights file ({weights})");

        var dataDir = DataDirectory.Resolve(parse.GetValue(DataDir));
        var train = Mnist.LoadTrain(dataDir);
        var test = Mnist.LoadTest(dataDir);
        if (parse.Given(Limit) is int limit && limit < train.Count) train = train.Take(limit);
        // Created only once the data has loaded, so that a bad data folder leaves no empty run folder behind.
        var run = new RunDirectory(parse.GetValue(Out) ?? DefaultRunFolder(spec.Name));

        var summary = TrainAndSave(spec, options, weights, train, test, run);
        if (parse.GetValue(Json)) Console.WriteLine(JsonSerializer.Serialize(summary));
        else Console.WriteLine($"test -ELBO {summary["test_neg_elbo"]:F2} after {summary["epochs"]} epochs; model in {run.Path}");
        return ExitCodes.Success;
    }

    /// <summary>Trains (or loads), saves the run, and returns the summary that <c>--json</c> prints.</summary>
    internal static Dictionary<string, object?> TrainAndSave(ModelSpec spec, TrainingOptions options, string? weights,
        Dataset train, Dataset test, RunDirectory run)
    {
        // Weights draw from the seed's stream; shuffling and sampling from the next seed's, so they are independent.
        var model = new VaeModel(spec, new Rng(options.Seed));
        var trainer = new Trainer(model, options with { Seed = options.Seed + 1 });
        var started = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyList<EpochMetrics> history = [];
        if (weights is not null) ModelFile.LoadWeights(model, weights);
        else history = TrainingDisplay.Run((progress, epochDone) =>
            trainer.Fit(train, test, progress, metrics => { run.Save(model, trainer.History); epochDone(metrics); }));
        if (weights is not null) run.Save(model, history);

        var elbo = history.Count > 0
            ? new ElboResult(history[^1].TestNegElbo!.Value, history[^1].TestReconstruction!.Value, history[^1].TestKl!.Value)
            : ElboResult.Evaluate(model, test, options.EvaluationBatchSize, new Rng(options.Seed + 1));
        double trainSeconds = history.Sum(metrics => metrics.TrainSeconds);
        return new Dictionary<string, object?>
        {
            ["epochs"] = history.Count,
            ["train_loss"] = history.Count > 0 ? history[^1].TrainLoss : null,
            ["test_neg_elbo"] = elbo.NegativeElbo,
            ["test_reconstruction"] = elbo.Reconstruction,
            ["test_kl"] = elbo.Kl,
            ["seconds"] = started.Elapsed.TotalSeconds,
            ["train_samples_per_s"] = trainSeconds > 0 ? (double)train.Count * history.Count / trainSeconds : 0.0,
            ["out"] = run.Path,
        };
    }

    internal static string DefaultRunFolder(string name) =>
        Path.Combine("runs", $"{name}-{DateTime.Now:yyyyMMdd-HHmmss}");
}

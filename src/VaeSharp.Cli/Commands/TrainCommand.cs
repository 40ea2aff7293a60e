using System.CommandLine;
using System.Globalization;
using VaeSharp.Data;
using VaeSharp.Evaluation;
using VaeSharp.Kernels;
using VaeSharp.Models;
using VaeSharp.Nn;
using VaeSharp.Optim;
using VaeSharp.Tensors;
using VaeSharp.Training;

namespace VaeSharp.Cli.Commands;

/// <summary><c>vae train</c>: trains a preset or a custom spec on MNIST, checkpointing the run folder every epoch.</summary>
internal sealed class TrainCommand
{
    private readonly Option<string> _preset = CommonOptions.Preset();
    private readonly Option<string?> _spec = new("--spec") { Description = "A ModelSpec JSON file instead of a preset's architecture" };
    private readonly Option<string?> _hidden = new("--hidden") { Description = "Hidden widths of an MLP, e.g. 512,256" };
    private readonly Option<ActivationKind?> _activation = new("--activation") { HelpName = "relu|softplus|tanh|sigmoid", Description = "Hidden activation" };
    private readonly Option<int> _latent = CommonOptions.IntInRange("--latent", "Latent dimensions (default: the preset's)", 1, 4096);
    private readonly Option<ReconstructionLoss?> _loss = new("--loss") { HelpName = "bce|mse|gaussian", Description = "Reconstruction term: bce, mse (MSE × 784) or gaussian (squared error, an unbounded mean)" };
    private readonly Option<float> _klWeight = CommonOptions.FloatInRange("--kl-weight", "β, the weight of the KL term (default 1)", 0f, 1000f);
    private readonly Option<int> _klWarmup = CommonOptions.IntInRange("--kl-warmup", "Raise β linearly over the first N epochs", 0, 100_000);
    private readonly Option<int> _epochs = CommonOptions.IntInRange("--epochs", "Passes over the training set (default: the preset's)", 1, 100_000);
    private readonly Option<int> _batch = CommonOptions.IntInRange("--batch", "Examples per step (default: the preset's)", 1, 65_536);
    private readonly Option<float> _learningRate = CommonOptions.FloatInRange("--lr", "Learning rate (default: the preset's)", 0f, 10f);
    private readonly Option<OptimizerKind?> _optimizer = new("--optimizer") { HelpName = "adam|rmsprop|sgd", Description = "The optimizer (default: the preset's)" };
    private readonly Option<int> _patience = CommonOptions.IntInRange("--patience", "Stop after N epochs without a better validation -ELBO", 0, 100_000);
    private readonly Option<int> _limit = CommonOptions.IntInRange("--limit", "Train on the first N training images", 1, int.MaxValue);
    private readonly Option<int> _checkpointEvery = CommonOptions.CheckpointEvery();
    private readonly Option<float> _clipGradNorm = CommonOptions.FloatInRange("--clip-grad-norm", "Scale gradients down to this global L2 norm (default: off)", 0f, 1e6f);
    private readonly Option<int> _threads = CommonOptions.Threads();
    private readonly Option<MaskKind?> _mask = new("--mask") { HelpName = "line|pixel", Description = "Train masked on MNIST with these masks, fixed per seed" };
    private readonly Option<float> _missing = CommonOptions.FloatInRange("--missing", "Missing fraction of the masks (default 0.5)", 0f, 1f);
    private readonly Option<bool> _masked = new("--masked") { Description = "Make any preset masked: the encoder reads [x·mask, mask] (needs --mask)" };
    private readonly Option<string?> _weights = new("--weights") { Description = "Load these weights instead of training (as the Keras example's -w)" };
    private readonly Option<ulong> _seed = CommonOptions.Seed();
    private readonly Option<string?> _out = CommonOptions.Out("Run folder (default: runs/<preset>-<timestamp>)");
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();
    private readonly Option<string?> _csv = new("--csv") { Description = "Train on a Kaggle Digit Recognizer CSV (train.csv or test.csv) instead of MNIST" };
    private readonly Option<int> _validation = CommonOptions.IntInRange("--validation", "With --csv: images held out, chosen with --seed, for the per-epoch validation", 1, 1_000_000, defaultValue: 1000);
    private readonly Option<bool> _json = CommonOptions.Json();
    private readonly Option<bool> _force = CommonOptions.Force();

    public static Command Create() => new TrainCommand().Build();

    private Command Build()
    {
        var command = new Command("train", "Train a VAE on MNIST")
        {
            _preset, _spec, _hidden, _activation, _latent, _loss, _klWeight, _klWarmup, _epochs, _batch, _learningRate, _optimizer,
            _patience, _limit, _checkpointEvery, _clipGradNorm, _threads, _mask, _missing, _masked, _weights, _seed, _out, _dataDir, _csv, _validation, _json, _force,
        };
        command.SetAction(parse => VaeCli.Guard(parse, () => Execute(parse)));
        return command;
    }

    private int Execute(ParseResult parse)
    {
        var preset = CommonOptions.FindPreset(parse.GetValue(_preset)!);
        if (parse.Given(_threads) is int threads) Gemm.SetThreads(threads);
        var spec = BuildSpec(parse, preset);
        var options = TrainingOptions.FromPreset(preset) with
        {
            Epochs = parse.Given(_epochs) ?? preset.Epochs,
            BatchSize = parse.Given(_batch) ?? preset.BatchSize,
            LearningRate = parse.Given(_learningRate) ?? preset.LearningRate,
            Optimizer = parse.GetValue(_optimizer) ?? preset.Optimizer,
            KlWarmupEpochs = parse.Given(_klWarmup) ?? 0,
            Patience = parse.Given(_patience) ?? 0,
            ClipGradNorm = parse.Given(_clipGradNorm),
            Seed = parse.GetValue(_seed),
            Threads = parse.Given(_threads),
        };
        var weights = parse.GetValue(_weights);
        if (weights is not null && !File.Exists(weights)) throw new UsageException($"no such weights file ({weights})");

        string folder = parse.GetValue(_out) ?? DefaultRunFolder(spec.Name);
        bool force = parse.GetValue(_force);
        if (string.IsNullOrWhiteSpace(folder) || (!force && RunDirectory.HoldsRun(folder)))
            CommonOptions.NewRunFolder(folder, force, "--out").Lock.Dispose(); // fails fast: empty (2), in use (1) or occupied (2)
        var data = TrainingData.Load(parse.GetValue(_dataDir), parse.Given(_limit), MaskChoiceOf(parse, spec), CsvChoiceOf(parse));
        var trainer = Trainer.ForNewModel(spec, options);
        // The weights are read before the run folder is touched: with --force, a bad file (or that run's own
        // model.safetensors) must not cost the run it would replace.
        if (weights is not null) ModelFile.LoadWeights(trainer.Model, weights);
        // Created only once the data has loaded, so that a bad data folder leaves no empty run folder behind.
        var (run, runLock) = CommonOptions.NewRunFolder(folder, force, "--out");
        using var held = runLock;

        var summary = weights is null ? Train(trainer, data, run, parse.GetValue(_checkpointEvery)) : SaveAndEvaluate(trainer, data, run);
        Report(parse.GetValue(_json), summary);
        return ExitCodes.Success;
    }

    private CsvChoice? CsvChoiceOf(ParseResult parse)
    {
        if (parse.GetValue(_csv) is not string path)
        {
            if (parse.Given(_validation) is not null) throw new UsageException("--validation splits a --csv file; give --csv too (--validation)");
            return null;
        }
        if (parse.GetValue(_dataDir) is not null) throw new UsageException("give either --csv or --data-dir, not both (--csv)");
        if (!File.Exists(path)) throw new UsageException($"no such CSV file ({path})");
        return new CsvChoice(path, parse.GetValue(_validation), parse.GetValue(_seed));
    }

    private ModelSpec BuildSpec(ParseResult parse, Preset preset)
    {
        var baseSpec = parse.GetValue(_spec) is string specPath
            ? ModelSpec.FromJson(File.Exists(specPath) ? File.ReadAllText(specPath) : throw new UsageException($"no such spec file ({specPath})"), specPath)
            : preset.Spec;
        var spec = baseSpec with
        {
            Name = parse.GetValue(_hidden) is null && parse.GetValue(_spec) is null ? baseSpec.Name : baseSpec.Name == preset.Name ? "custom" : baseSpec.Name,
            Hidden = parse.GetValue(_hidden) is string hidden ? ParseWidths(hidden) : baseSpec.Hidden,
            Activation = parse.GetValue(_activation) ?? baseSpec.Activation,
            Latent = parse.Given(_latent) ?? baseSpec.Latent,
            Loss = parse.GetValue(_loss) ?? baseSpec.Loss,
            KlWeight = parse.Given(_klWeight) ?? baseSpec.KlWeight,
            Masked = baseSpec.Masked || parse.GetValue(_masked),
        };
        spec.Validate("command line");
        return spec;
    }

    /// <summary>The run's masks: a masked spec needs --mask, and --mask needs a masked spec.</summary>
    private MaskChoice? MaskChoiceOf(ParseResult parse, ModelSpec spec)
    {
        var kind = parse.GetValue(_mask);
        if (kind is null && parse.Given(_missing) is not null) throw new UsageException("--missing needs --mask line|pixel (--missing)");
        if (kind is null && spec.Masked) throw new UsageException($"{spec.Name} is masked: give --mask line|pixel and --missing F (--mask)");
        if (kind is null) return null;
        if (!spec.Masked) throw new UsageException($"{spec.Name} is not masked: add --masked to train it on masked data (--mask)");
        return new MaskChoice(kind.Value, Math.Round(parse.Given(_missing) ?? 0.5f, 6), parse.GetValue(_seed));
    }

    private static int[] ParseWidths(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out widths[i]) || widths[i] < 1 || widths[i] > 65_536)
                throw new UsageException($"'{text}' is not a list of widths between 1 and 65536, e.g. 512,256 (--hidden)");
        return widths;
    }

    /// <summary>Trains with a progress display, checkpointing every N epochs and on Ctrl-C; returns the <c>--json</c> summary.</summary>
    internal static Dictionary<string, object?> Train(Trainer trainer, TrainingData data, RunDirectory run, int checkpointEvery = 1)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        int epochsBefore = trainer.EpochsCompleted;
        TrainingSession.Run(trainer, data, run, checkpointEvery);
        var history = trainer.History;
        var newEpochs = history.Skip(epochsBefore).ToList();
        double trainSeconds = newEpochs.Sum(metrics => metrics.TrainSeconds);
        var last = history[^1];
        return Summary(history.Count, last.TrainLoss, new ElboResult(last.TestNegElbo!.Value, last.TestReconstruction!.Value, last.TestKl!.Value),
            started.Elapsed.TotalSeconds, trainSeconds > 0 ? (double)data.Train.Count * newEpochs.Count / trainSeconds : 0, run, trainer.StoppedEarly);
    }

    private static Dictionary<string, object?> SaveAndEvaluate(Trainer trainer, TrainingData data, RunDirectory run)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        run.Save(trainer.Model, []);
        var elbo = ElboResult.Evaluate(trainer.Model, data.Test, trainer.Options.EvaluationBatchSize, new Rng(trainer.Options.Seed));
        return Summary(0, null, elbo, started.Elapsed.TotalSeconds, 0, run, stoppedEarly: false);
    }

    private static Dictionary<string, object?> Summary(int epochs, double? trainLoss, ElboResult elbo, double seconds,
        double samplesPerSecond, RunDirectory run, bool stoppedEarly) => new()
    {
        ["epochs"] = epochs,
        ["train_loss"] = trainLoss,
        ["test_neg_elbo"] = elbo.NegativeElbo,
        ["test_reconstruction"] = elbo.Reconstruction,
        ["test_kl"] = elbo.Kl,
        ["seconds"] = seconds,
        ["train_samples_per_s"] = samplesPerSecond,
        ["stopped_early"] = stoppedEarly,
        ["out"] = run.Path,
    };

    internal static void Report(bool json, Dictionary<string, object?> summary)
    {
        if (json) CliJson.WriteLine(summary);
        else Console.WriteLine($"test -ELBO {summary["test_neg_elbo"]:F2} after {summary["epochs"]} epoch{((int)summary["epochs"]! == 1 ? "" : "s")}" +
            ((bool)summary["stopped_early"]! ? " (stopped early)" : "") + $"; model in {summary["out"]}");
    }

    /// <summary><paramref name="root"/>/NAME-yyyyMMdd-HHmmss, with -2, -3, ... when a run of the same second already has that folder.</summary>
    internal static string DefaultRunFolder(string name, string root = "runs")
    {
        string stem = Path.Combine(root, $"{name}-{DateTime.Now:yyyyMMdd-HHmmss}"), folder = stem;
        for (int n = 2; Directory.Exists(folder); n++) folder = $"{stem}-{n}";
        return folder;
    }
}

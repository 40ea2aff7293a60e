using System.CommandLine;
using VaeSharp.Data;
using VaeSharp.Evaluation;
using VaeSharp.Imputation;
using VaeSharp.IO;
using VaeSharp.Plotting;
using VaeSharp.Tensors;
using VaeSharp.Training;

namespace VaeSharp.Cli.Commands;

/// <summary>
/// <c>vae impute</c>: the uncertainty figure of a masked model on MNIST test digits, or with <c>--evaluate</c> the table
/// of RMSE and MAE on missing pixels for the VAE and the mean, k-NN and iterative baselines.
/// </summary>
internal sealed class ImputeCommand
{
    private readonly Option<string> _model = CommonOptions.Model();
    private readonly Option<MaskKind> _mask = new("--mask") { HelpName = "line|pixel", Description = "The mask kind (default: the run's own, else pixel)" };
    private readonly Option<float> _missing = CommonOptions.FloatInRange("--missing", "Missing fraction for the figure (default: the run's own, else 0.5)", 0f, 1f);
    private readonly Option<int> _samples = CommonOptions.IntInRange("--samples", "Imputed draws K per digit", 1, 64, defaultValue: 6);
    private readonly Option<int> _iterations = CommonOptions.IntInRange("--iterations", "Pseudo-Gibbs refinements T per draw", 0, 1000, defaultValue: 0);
    private readonly Option<int> _count = CommonOptions.IntInRange("--count", "Test digits in the figure", 1, 100, defaultValue: 8);
    private readonly Option<bool> _evaluate = new("--evaluate") { Description = "Score every fraction against the baselines instead of drawing" };
    private readonly Option<string> _fractions = new("--fractions") { Description = "Fractions to evaluate", DefaultValueFactory = _ => "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9" };
    private readonly Option<int> _testCount = CommonOptions.IntInRange("--test-count", "Test digits scored (the first N)", 1, 10_000, defaultValue: 1000);
    private readonly Option<int> _reference = CommonOptions.IntInRange("--reference", "Training digits the baselines learn from (the first N)", 1, 60_000, defaultValue: 5000);
    private readonly Option<string> _methods = new("--methods") { Description = "Methods to evaluate: vae, mean, knn, iterative", DefaultValueFactory = _ => "vae,mean,knn,iterative" };
    private readonly Option<string?> _masks = new("--masks") { Description = "Read the masks from this file (vae masks make) instead of drawing them from --seed" };
    private readonly Option<ulong> _seed = CommonOptions.Seed("the masks and the draws");
    private readonly Option<string?> _out = CommonOptions.Out("The figure's PNG (default: <model>/impute-<mask>-<missing>.png)");
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();
    private readonly Option<bool> _json = CommonOptions.Json();

    public static Command Create() => new ImputeCommand().Build();

    private Command Build()
    {
        var command = new Command("impute", "Fill in missing pixels with a masked model: a figure, or --evaluate against baselines")
        {
            _model, _mask, _missing, _samples, _iterations, _count, _evaluate, _fractions, _methods, _testCount, _reference, _masks, _seed, _out, _dataDir, _json,
        };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var folder = parse.GetValue(_model)!;
            if (parse.GetValue(_out) is string output)
            {
                if (parse.GetValue(_evaluate)) throw new UsageException("--evaluate prints a table and draws no figure, so --out has nothing to write (--out)");
                CommonOptions.CheckOutputFile(output, "--out");
            }
            if (parse.GetValue(_masks) is string masks && !File.Exists(masks)) throw new UsageException($"no such mask file ({masks})");
            var model = ModelFolder.Load(folder);
            if (!model.Spec.Masked) throw new UsageException($"the model is not masked; train one with --preset impute-mlp or --masked ({folder})");
            var dir = DataDirectory.Resolve(parse.GetValue(_dataDir));
            return parse.GetValue(_evaluate) ? Evaluate(parse, model, dir, folder) : Draw(parse, model, dir, folder);
        }));
        return command;
    }

    private int Evaluate(ParseResult parse, Models.VaeModel model, string dir, string folder)
    {
        var (train, test) = (Mnist.LoadTrain(dir), Mnist.LoadTest(dir));
        int testCount = Math.Min(parse.GetValue(_testCount), test.Count), reference = Math.Min(parse.GetValue(_reference), train.Count);
        var trainedWith = TrainedMask(folder);
        var kind = parse.Given(_mask) ?? trainedWith?.Kind ?? MaskKind.Pixel;
        var methods = parse.GetValue(_methods)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = methods.FirstOrDefault(method => !ImputationBenchmark.Methods.Contains(method));
        if (methods.Length == 0 || unknown is not null)
            throw new UsageException($"'{unknown ?? ""}' is not a method; choose from {string.Join(", ", ImputationBenchmark.Methods)} (--methods)");
        var fractions = Fractions.Parse(parse.GetValue(_fractions)!);
        // The baselines learn from the training digits as the VAE saw them: masked as its run was, when the folder says how.
        var trainingMasks = trainedWith is { } run ? Masks.CreateSplits(run.Kind, run.Missing, reference, 0, train.Rows, train.Cols, run.Seed).Train : null;
        string referenceMasks = trainedWith is { } used
            ? $"the model's training masks ({used.Kind.ToString().ToLowerInvariant()} {Fractions.Format(used.Missing)}, seed {used.Seed})"
            : "the evaluated kind and fraction";
        bool classify = kind == MaskKind.Pixel;
        var results = ProgressDisplay.Run(report =>
        {
            int steps = (classify ? 1 : 0) + fractions.Length * methods.Length, done = 0;
            // For pixel masks, how recognisable the imputed digits are, by a classifier that never saw a masked digit.
            if (classify) report("training the digit classifier", done++, steps);
            var classifier = classify ? DigitClassifier.Train(train, new Rng(parse.GetValue(_seed))) : null;
            var scored = new List<ImputationResult>();
            foreach (double fraction in fractions)
            {
                var file = parse.GetValue(_masks);
                var drawn = file is null ? Masks.CreateSplits(kind, fraction, train.Count, test.Count, train.Rows, train.Cols, parse.GetValue(_seed)) : default;
                var testMasks = file is null ? drawn.Test : MaskFile.Read(file, kind, fraction, "test", testCount, test.Rows, test.Cols);
                var referenceMask = trainingMasks ?? (file is null ? drawn.Train : MaskFile.Read(file, kind, fraction, "train", reference, train.Rows, train.Cols));
                var progress = new InlineProgress<string>(method => report($"fraction {Fractions.Format(fraction)}: {method}", done++, steps));
                scored.AddRange(ImputationBenchmark.Run(model, train, test, kind, fraction, reference, testCount, parse.GetValue(_seed), classifier, methods,
                    (referenceMask, testMasks), progress));
            }
            return scored;
        });
        if (parse.GetValue(_json))
        {
            var rows = results.Select(r => new Dictionary<string, object?> { ["mask"] = r.Mask, ["fraction"] = r.Fraction, ["method"] = r.Method, ["rmse"] = r.Rmse, ["mae"] = r.Mae, ["accuracy"] = r.Accuracy });
            CliJson.WriteLine(new { results = rows, test_count = testCount, reference_count = reference, reference_masks = referenceMasks });
            return ExitCodes.Success;
        }
        Console.WriteLine($"RMSE (MAE) on missing pixels, {kind.ToString().ToLowerInvariant()} masks, first {testCount} test digits; baselines learn from the first {reference} training digits with {referenceMasks}");
        var columns = results.Select(r => r.Method).Distinct().ToList();
        Console.WriteLine("fraction  " + string.Join("", columns.Select(m => $"{m,-20}")) + "best");
        foreach (var group in results.GroupBy(r => r.Fraction))
        {
            var best = group.MinBy(r => r.Rmse)!;
            Console.WriteLine($"{Fractions.Format(group.Key),-10}" + string.Join("", group.Select(r => $"{$"{r.Rmse:F4} ({r.Mae:F4})",-20}")) + best.Method);
            if (classify)
                Console.WriteLine($"{"accuracy",-10}" + string.Join("", group.Select(r => $"{r.Accuracy,-20:P1}")));
        }
        return ExitCodes.Success;
    }

    /// <summary>The masks the model's run trained with (kind, fraction, seed), from its training.json; null when it says none.</summary>
    private static MaskChoice? TrainedMask(string folder) => Checkpoint.ReadDataSource(folder) is { } source ? TrainingData.MaskOf(source) : null;

    private int Draw(ParseResult parse, Models.VaeModel model, string dir, string folder)
    {
        var test = Mnist.LoadTest(dir);
        var trainedWith = TrainedMask(folder);
        var kind = parse.Given(_mask) ?? trainedWith?.Kind ?? MaskKind.Pixel;
        double missing = parse.Given(_missing) is float given ? Math.Round(given, 6) : trainedWith?.Missing ?? 0.5;
        int count = Math.Min(parse.GetValue(_count), test.Count), samples = parse.GetValue(_samples);
        var testMask = parse.GetValue(_masks) is string file
            ? MaskFile.Read(file, kind, missing, "test", count, test.Rows, test.Cols)
            : Masks.CreateSplits(kind, missing, 0, test.Count, test.Rows, test.Cols, parse.GetValue(_seed)).Test;
        var data = ImageImputationData.FirstRows(test, testMask, count);
        var imputation = VaeImputation.ImputeMultiple(model, data, samples, parse.GetValue(_iterations), new Rng(parse.GetValue(_seed)));
        int features = data.Cols, columns = samples + 2;
        var cells = new float[count * columns * features]; // (count, columns, 784)
        for (int row = 0; row < count; row++)
        {
            var truth = data.Values.AsSpan(row * features, features);
            truth.CopyTo(cells.AsSpan((row * columns) * features));
            // Missing pixels are drawn mid-gray, so that they stand apart from both ink and background.
            var masked = cells.AsSpan((row * columns + 1) * features, features);
            for (int j = 0; j < features; j++) masked[j] = data.Mask[row * features + j] != 0 ? truth[j] : 0.5f;
            for (int k = 0; k < samples; k++)
                imputation.Draws[k].AsSpan(row * features, features).CopyTo(cells.AsSpan((row * columns + 2 + k) * features));
        }
        var path = parse.GetValue(_out) ?? Path.Combine(folder, $"impute-{kind.ToString().ToLowerInvariant()}-{Fractions.Format(missing)}.png");
        double spread = MeanMissingSpread(imputation.StandardDeviation, data.Mask);
        string title = $"{kind.ToString().ToLowerInvariant()} mask, {missing * 100:F0}% missing; mean std of the draws on missing pixels {spread:F3}";
        var png = ImputationFigure.Draw(cells, count, samples, test.Rows, test.Cols, title);
        using (parse.GetValue(_out) is null ? CommonOptions.LockFolder(folder, "--model") : null) AtomicFile.WriteAllBytes(path, png);
        if (parse.GetValue(_json))
            CliJson.WriteLine(new { @out = Path.GetFullPath(path), mask = kind.ToString().ToLowerInvariant(), missing, samples, mean_missing_std = spread });
        else
        {
            Console.WriteLine($"mean per-pixel std across draws on missing pixels: {spread:F4}");
            Console.WriteLine($"figure in {path}");
        }
        return ExitCodes.Success;
    }

    private static double MeanMissingSpread(float[] deviation, byte[] mask)
    {
        double sum = 0;
        long count = 0;
        for (int i = 0; i < mask.Length; i++)
            if (mask[i] == 0) { sum += deviation[i]; count++; }
        return count == 0 ? 0 : sum / count;
    }
}

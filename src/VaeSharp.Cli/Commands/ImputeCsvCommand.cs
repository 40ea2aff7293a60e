using System.CommandLine;
using System.Globalization;
using VaeSharp.Data;
using VaeSharp.Imputation;
using VaeSharp.IO;
using VaeSharp.Kernels;
using VaeSharp.Tensors;

namespace VaeSharp.Cli.Commands;

/// <summary>
/// <c>vae impute-csv</c>: fills the missing numeric and categorical cells of a CSV table (observed cells, free text,
/// header and column order are copied byte for byte), by default with the method a held-out check on the observed
/// cells picks; optionally writes per-cell 90% intervals and spreads, and with <c>--evaluate-mcar F</c> scores every
/// method on cells hidden at random.
/// </summary>
internal sealed class ImputeCsvCommand
{
    private static readonly string[] Singles = ["vae", "mean", "knn", "iterative", "forest"];

    /// <summary>The share of observed cells each draw of the auto choice's and the intervals' check holds out: small, so the methods face about the table's own missingness.</summary>
    private const double CheckFraction = 0.1;

    /// <summary>The held-out cells the check aims for over its draws: a small table gets more draws, up to <see cref="MaxDraws"/>.</summary>
    private const int CheckCells = 4000;

    /// <summary>The most draws of the check: each fits every method once more.</summary>
    private const int MaxDraws = 5;

    /// <summary>A longer table fits (and runs its held-out check) on a seeded random sample of this many rows; every row is imputed.</summary>
    private const int FitRows = 20_000;

    private readonly Option<string> _in = new("--in") { Description = "The CSV table: a header row, then rows; blank/NA/NaN for missing", Required = true };
    private readonly Option<string?> _out = CommonOptions.Out("Where the completed CSV goes");
    private readonly Option<string> _method = new("--method") { Description = "auto (pick by a held-out check), vae, mean, knn, iterative or forest", DefaultValueFactory = _ => "auto" };
    private readonly Option<int> _samples = CommonOptions.IntInRange("--samples", "VAE draws K; more than 1 imputes their mean", 1, 1000, defaultValue: 1);
    private readonly Option<int> _iterations = CommonOptions.IntInRange("--iterations", "Pseudo-Gibbs refinements of each of the --samples draws (needs --samples 2 or more)", 0, 1000, defaultValue: 0);
    private readonly Option<string?> _stdOut = new("--std-out") { Description = "A CSV of the per-cell std across the draws (needs --method vae and --samples > 1)" };
    private readonly Option<string?> _intervalOut = new("--interval-out") { Description = "A CSV of per-cell 90% intervals: NAME_lower,NAME_upper per numeric column" };
    private readonly Option<int> _epochs = CommonOptions.IntInRange("--epochs", "VAE training epochs", 1, 100_000, defaultValue: 200);
    private readonly Option<float> _evaluateMcar = CommonOptions.FloatInRange("--evaluate-mcar", "Hide this fraction of the observed cells and score every method on them", 0f, 0.95f);
    private readonly Option<bool> _noClip = new("--no-clip") { Description = "Let imputed numbers leave their column's observed range" };
    private readonly Option<int> _threads = CommonOptions.Threads("the forest's trees and the matrix products");
    private readonly Option<ulong> _seed = CommonOptions.Seed("the held-out check, the fits, the samples and a long table's fitting sample");
    private readonly Option<bool> _json = CommonOptions.Json();

    public static Command Create() => new ImputeCsvCommand().Build();

    private Command Build()
    {
        var command = new Command("impute-csv", "Impute the missing cells of a CSV table")
        {
            _in, _out, _method, _samples, _iterations, _stdOut, _intervalOut, _epochs, _evaluateMcar, _noClip, _threads, _seed, _json,
        };
        command.SetAction(parse => VaeCli.Guard(parse, () => Execute(parse)));
        return command;
    }

    private int Execute(ParseResult parse)
    {
        var input = parse.GetValue(_in)!;
        if (Directory.Exists(input)) throw new UsageException($"--in names a folder, not a CSV file (--in {input})");
        if (!File.Exists(input)) throw new UsageException($"no such file ({input})");
        string method = parse.GetValue(_method)!;
        if (method != "auto" && !Singles.Contains(method)) throw new UsageException($"unknown method '{method}'; choose auto, vae, mean, knn, iterative or forest (--method)");
        if (method is not ("auto" or "vae") && (parse.GetValue(_samples) > 1 || parse.GetValue(_iterations) > 0))
            throw new UsageException($"--samples and --iterations draw from the VAE, which --method {method} does not use ({(parse.GetValue(_samples) > 1 ? "--samples" : "--iterations")})");
        if (parse.GetValue(_iterations) > 0 && parse.GetValue(_samples) < 2)
            throw new UsageException("--iterations refines each of the --samples draws; give --samples 2 or more (--iterations)");
        if (parse.GetValue(_stdOut) is not null && (method != "vae" || parse.GetValue(_samples) < 2))
            throw new UsageException("--std-out needs --method vae and --samples 2 or more (--std-out)");
        if (parse.GetValue(_out) is null && parse.Given(_evaluateMcar) is null) throw new UsageException("give --out FILE, --evaluate-mcar F, or both (--out)");
        if (parse.GetValue(_out) is null && parse.GetValue(_intervalOut) is not null) throw new UsageException("--interval-out needs --out (--interval-out)");
        if (parse.GetValue(_out) is null && parse.GetValue(_stdOut) is not null) throw new UsageException("--std-out needs --out (--std-out)");
        CheckOutputs(parse, input);
        bool clip = !parse.GetValue(_noClip);
        if (parse.Given(_threads) is int threads) Gemm.SetThreads(threads);
        var table = TabularCsv.Read(input);
        if (parse.GetValue(_intervalOut) is string intervals && table.NumericColumns.Count == 0)
            throw new UsageException($"the table has no numeric column to give intervals for (--interval-out {intervals})");
        foreach (var warning in table.Warnings) Console.Error.WriteLine($"vae: warning: {warning} ({input})");
        var encoding = TableEncoding.For(table);
        if (table.Rows > FitRows) CompactLargeObjects();
        var summary = new Dictionary<string, object?>
        {
            ["rows"] = table.Rows,
            ["numeric_columns"] = table.NumericColumns.Count,
            ["categorical_columns"] = table.CategoricalColumns.Count,
            ["text_columns"] = table.Kinds.Count(kind => kind == ColumnKind.Text),
        };

        // A long table is fitted, checked and scored on a seeded sample of its rows; every row is imputed.
        var fitting = table.Rows > FitRows ? encoding.Subset(encoding.Data.SampleRows(FitRows, parse.GetValue(_seed) + 300)) : encoding;
        var lines = new List<string>(); // stdout, printed once the progress bar is gone
        ProgressDisplay.Run(report =>
        {
            if (parse.Given(_evaluateMcar) is float hide) summary["evaluate_mcar"] = EvaluateMcar(parse, encoding, fitting, hide, clip, lines, report);
            if (parse.GetValue(_out) is string output) Impute(parse, encoding, fitting, method, output, clip, summary, lines, report);
        });
        foreach (var line in lines) Console.WriteLine(line);
        if (parse.GetValue(_json)) CliJson.WriteLine(summary);
        return ExitCodes.Success;
    }

    /// <summary>
    /// Every output file must be writable, and the side files must differ from the input and from the other outputs,
    /// so that a run never replaces the table with its intervals or spreads; checked before any work is done.
    /// <c>--out</c> may be the input: the completed table then replaces it, atomically.
    /// </summary>
    private void CheckOutputs(ParseResult parse, string input)
    {
        var named = new List<(string Option, string Real)> { ("--in", CommonOptions.RealPath(input)) }; // each file with its links resolved
        foreach (var (option, path) in new[] { ("--out", parse.GetValue(_out)), ("--interval-out", parse.GetValue(_intervalOut)), ("--std-out", parse.GetValue(_stdOut)) })
        {
            if (path is null) continue;
            CommonOptions.CheckOutputFile(path, option);
            string real = CommonOptions.RealPath(path);
            if (named.FirstOrDefault(other => other.Real == real) is { Option: not null } same && option != "--out")
                throw new UsageException(same.Option == "--in"
                    ? $"{option} would replace the input table; write to another file ({option} {path})"
                    : $"{option} names the same file as {same.Option} ({option} {path})");
            named.Add((option, real));
        }
    }

    /// <summary>
    /// Imputes the table into <paramref name="output"/> (and the side files) with a method fitted on
    /// <paramref name="fitting"/>, adding to <paramref name="summary"/> and <paramref name="lines"/>; <paramref name="report"/> hears of each step.
    /// </summary>
    private void Impute(ParseResult parse, TableEncoding encoding, TableEncoding fitting, string method, string output, bool clip,
        Dictionary<string, object?> summary, List<string> lines, Action<string, int, int> report)
    {
        var table = encoding.Table;
        var data = encoding.Data;
        bool needsCheck = method == "auto" || parse.GetValue(_intervalOut) is not null;
        MethodScore? chosenScore = null;
        MethodChoice? choice = null;
        int checkFits = 0, steps = 3; // the check's fits, then the fit on all rows, the imputation and the writing
        if (needsCheck)
        {
            long observed = fitting.ObservedCells();
            int draws = Math.Clamp((int)Math.Ceiling(CheckCells / (CheckFraction * observed)), 1, MaxDraws);
            var check = new HeldOutCheck(fitting, CheckFraction, new Rng(parse.GetValue(_seed) + 200), draws, followMissingness: true);
            var progress = new InlineProgress<CheckProgress>(step =>
            {
                (checkFits, steps) = (step.Total, step.Total + 3);
                report($"held-out check, draw {step.Draw}/{step.Draws}: {step.Method}", step.Done, steps);
            });
            choice = MethodSelection.Choose(check, method == "auto" ? MethodSelection.CandidatesFor(table.Rows) : [method], single => CreateImputer(parse, single, encoding), clip, progress);
            var (scores, best) = (choice.Scores, choice.Best);
            if (method == "auto")
            {
                method = best;
                summary["auto"] = new Dictionary<string, object?>
                {
                    ["choice"] = best,
                    ["weights"] = choice.Blend.ToDictionary(part => part.Method, part => part.Weight),
                    ["reason"] = $"lowest held-out error, each column weighed by its missing cells per observed one, on {check.HiddenNumeric + check.HiddenCategorical} observed cells hidden in {draws} draw{(draws > 1 ? "s" : "")} of {CheckFraction * 100:0}% each, "
                        + (check.OddsFrom.Count == 0 ? "at random"
                            : $"with each column's odds of missing predicted from the complete column{(check.OddsFrom.Count > 1 ? "s" : "")} {string.Join(", ", check.OddsFrom.Select(k => table.Header[table.NumericColumns[k]]))}")
                        + (best == MethodSelection.Stack ? "; the stack's weights are fitted on those cells and its score cross-fitted (even rows' weights fill odd rows and back)" : "")
                        + (table.Rows > MethodSelection.ForestRows ? $"; forest left out above {MethodSelection.ForestRows.ToString("N0", CultureInfo.InvariantCulture)} rows (its imputation cost grows with the rows)" : ""),
                    ["held_out_rmse"] = scores.ToDictionary(score => score.Method, score => score.Rmse),
                    ["held_out_accuracy"] = scores.ToDictionary(score => score.Method, score => score.Accuracy),
                    ["categories"] = choice.CategoryBest is string categories
                        ? new Dictionary<string, object?>
                        {
                            ["choice"] = categories,
                            ["weights"] = choice.CategoryBlend!.ToDictionary(part => part.Method, part => part.Weight),
                            ["reason"] = $"the highest held-out accuracy on the categorical cells, above {best}'s",
                        }
                        : null,
                };
                if (!parse.GetValue(_json))
                    lines.Add($"auto chose {best}{(best == MethodSelection.Stack ? $" ({Weights(choice)})" : "")}: "
                        + (scores.Any(score => score.Rmse is not null)
                            ? "held-out RMSE " + string.Join(", ", scores.Select(score => $"{score.Method} {Show(score.Rmse)}"))
                            : "held-out accuracy " + string.Join(", ", scores.Select(score => $"{score.Method} {Show(score.Accuracy)}"))));
                if (!parse.GetValue(_json) && choice.CategoryBest is string categoryMethod)
                    lines.Add($"auto chose {categoryMethod} for the categories: held-out accuracy {Show(scores.Single(score => score.Method == categoryMethod).Accuracy)}"
                        + $" against {best}'s {Show(scores.Single(score => score.Method == best).Accuracy)}");
            }
            chosenScore = scores.Single(score => score.Method == method);
        }
        var imputer = choice is null ? CreateImputer(parse, method, encoding) : MethodSelection.Create(choice, single => CreateImputer(parse, single, encoding), encoding.Blocks);
        report($"fitting {method} on {fitting.Data.Rows:N0} rows", checkFits, steps);
        imputer.Fit(fitting.Data);
        report($"imputing {table.Rows:N0} rows", checkFits + 1, steps);
        float[] completed;
        float[]? deviation = null;
        if (imputer is VaeImputer vae && parse.GetValue(_samples) > 1)
        {
            var multiple = vae.TransformWithUncertainty(data, keepDraws: false); // the mean and spread only: K draws of a long table would not fit
            (completed, deviation) = (multiple.Mean, multiple.StandardDeviation);
        }
        else completed = imputer.Transform(data);
        // A diverged fit's NaN would be written as "NaN", which reads back as missing: refuse it instead.
        if (Enumerable.Range(0, completed.Length).FirstOrDefault(i => data.Mask[i] == 0 && !float.IsFinite(completed[i]), -1) is var bad and >= 0)
            throw new InvalidOperationException($"{imputer.Name} imputed a value that is not a finite number in data row {bad / data.Cols + 1}; try another --method ({table.Source})");
        // Everything is computed before the first write; each file is then streamed to a temporary file and renamed.
        if (table.Rows > FitRows) CompactLargeObjects();
        // All of the files or none: each is staged beside its target and renamed only once every one is written.
        var files = new List<(string, Action<TextWriter>)> { (output, writer => encoding.Write(writer, completed, clip)) };
        if (parse.GetValue(_intervalOut) is string intervalPath)
            files.Add((intervalPath, writer => ImputationIntervals.Write(writer, encoding, encoding.Numbers(completed, clip), chosenScore!, clip)));
        if (parse.GetValue(_stdOut) is string stdPath && deviation is not null)
        {
            int cols = data.Cols;
            files.Add((stdPath, writer => table.WriteWithNumericCells(writer, (_, _) => true, (row, k) => deviation[row * cols + k].ToString("R", CultureInfo.InvariantCulture))));
        }
        report($"writing {output}", checkFits + 2, steps);
        AtomicFile.WriteTexts(files);
        long imputed = (long)table.Rows * (table.NumericColumns.Count + table.CategoricalColumns.Count) - encoding.ObservedCells();
        summary["method"] = method;
        summary["fit_rows"] = fitting.Data.Rows;
        summary["imputed_cells"] = imputed;
        summary["out"] = Path.GetFullPath(output);
        if (parse.GetValue(_intervalOut) is string interval) summary["interval_out"] = Path.GetFullPath(interval);
        if (parse.GetValue(_stdOut) is string spread) summary["std_out"] = Path.GetFullPath(spread);
        if (!parse.GetValue(_json))
            lines.Add($"imputed {imputed} cell{(imputed == 1 ? "" : "s")} with {method}{(choice?.CategoryBest is string categories ? $" (categories with {categories})" : "")}; table in {output}"
                + (parse.GetValue(_intervalOut) is string intervals ? $", 90% intervals in {intervals}" : "")
                + (parse.GetValue(_stdOut) is string spreads ? $", spreads in {spreads}" : ""));
    }

    /// <summary>
    /// Hides a fraction of <paramref name="fitting"/>'s observed cells, imputes them with every method auto would weigh
    /// on <paramref name="encoding"/>'s table, and compares with the truth.
    /// </summary>
    private Dictionary<string, object?> EvaluateMcar(ParseResult parse, TableEncoding encoding, TableEncoding fitting, float hide, bool clip,
        List<string> lines, Action<string, int, int> report)
    {
        var check = new HeldOutCheck(fitting, hide, new Rng(parse.GetValue(_seed) + 100));
        var progress = new InlineProgress<CheckProgress>(step => report($"scoring on hidden cells: {step.Method}", step.Done, step.Total));
        var methods = Singles.Where(MethodSelection.CandidatesFor(encoding.Table.Rows).Contains).ToList();
        var (scores, best, _, bestForCategories, _) = MethodSelection.Choose(check, methods, single => CreateImputer(parse, single, encoding), clip, progress);
        if (!parse.GetValue(_json))
        {
            lines.Add($"On {check.HiddenNumeric} numeric and {check.HiddenCategorical} categorical cells hidden ({hide:P0} of the observed):");
            lines.Add($"  {"method",-10} {"RMSE (col std)",14} {"accuracy",9}");
            lines.AddRange(scores.Select(score => $"  {score.Method,-10} {Show(score.Rmse),14} {Show(score.Accuracy),9}"));
            lines.Add($"best: {best}" + (bestForCategories is null ? "" : $"; on the categories: {bestForCategories}"));
        }
        return new Dictionary<string, object?>
        {
            ["fraction"] = hide,
            ["hidden_cells"] = check.HiddenNumeric + check.HiddenCategorical,
            ["rmse"] = scores.ToDictionary(score => score.Method, score => score.Rmse),
            ["accuracy"] = scores.ToDictionary(score => score.Method, score => score.Accuracy),
            ["best"] = best,
            ["best_for_categories"] = bestForCategories ?? (scores.Any(score => score.Accuracy is not null) ? best : null),
        };
    }

    /// <summary>
    /// Returns the parser's and the fit's large buffers to the system: the garbage collector leaves a long table's
    /// 100 MB arrays on the large-object heap until memory runs short, which doubles the peak resident set.
    /// </summary>
    private static void CompactLargeObjects()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>A blend's weights as "forest 0.61, vae 0.39".</summary>
    private static string Weights(MethodChoice choice) =>
        string.Join(", ", choice.Blend.Select(part => $"{part.Method} {part.Weight.ToString("F2", CultureInfo.InvariantCulture)}"));

    private static string Show(double? value) => value is double number ? number.ToString("F4", CultureInfo.InvariantCulture) : "-";

    private IImputer CreateImputer(ParseResult parse, string method, TableEncoding encoding) => method switch
    {
        "mean" => new MeanImputer(),
        "knn" => new KnnImputer(seed: parse.GetValue(_seed)),
        "iterative" => new IterativeImputer(blocks: encoding.Blocks),
        "forest" => new ForestImputer(parse.GetValue(_seed), blocks: encoding.Blocks),
        "vae" => new VaeImputer(new VaeImputerOptions
        {
            Epochs = parse.GetValue(_epochs),
            Seed = parse.GetValue(_seed),
            Samples = parse.GetValue(_samples),
            Iterations = parse.GetValue(_iterations),
            CategoricalBlocks = encoding.Blocks,
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "not a single method"),
    };
}

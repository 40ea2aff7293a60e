using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using VaeSharp.Data;
using VaeSharp.Imputation;
using VaeSharp.IO;
using VaeSharp.Tensors;

namespace VaeSharp.Cli.Commands;

/// <summary>
/// <c>vae impute-csv</c>: fills the missing numeric cells of a CSV table (observed cells, header and column order are
/// copied byte for byte), optionally with per-cell spread, and with <c>--evaluate-mcar F</c> scores every method on
/// cells hidden at random.
/// </summary>
internal sealed class ImputeCsvCommand
{
    private static readonly string[] Methods = ["vae", "mean", "knn", "iterative"];

    private readonly Option<string> _in = new("--in") { Description = "The CSV table: a header row, numeric columns, blank/NA/NaN for missing", Required = true };
    private readonly Option<string?> _out = CommonOptions.Out("Where the completed CSV goes");
    private readonly Option<string> _method = new("--method") { Description = "vae, mean, knn or iterative", DefaultValueFactory = _ => "vae" };
    private readonly Option<int> _samples = CommonOptions.IntInRange("--samples", "VAE draws K; more than 1 imputes their mean", 1, 1000, defaultValue: 1);
    private readonly Option<int> _iterations = CommonOptions.IntInRange("--iterations", "Pseudo-Gibbs refinements per draw", 0, 1000, defaultValue: 0);
    private readonly Option<string?> _stdOut = new("--std-out") { Description = "A CSV of the per-cell std across the draws (needs --samples > 1)" };
    private readonly Option<int> _epochs = CommonOptions.IntInRange("--epochs", "VAE training epochs", 1, 100_000, defaultValue: 200);
    private readonly Option<float> _evaluateMcar = CommonOptions.FloatInRange("--evaluate-mcar", "Hide this fraction of the observed cells and score every method on them", 0f, 0.95f);
    private readonly Option<ulong> _seed = CommonOptions.Seed();
    private readonly Option<bool> _json = CommonOptions.Json();

    public static Command Create() => new ImputeCsvCommand().Build();

    private Command Build()
    {
        var command = new Command("impute-csv", "Impute the missing cells of a numeric CSV table")
        {
            _in, _out, _method, _samples, _iterations, _stdOut, _epochs, _evaluateMcar, _seed, _json,
        };
        command.SetAction(parse => VaeCli.Guard(parse, () => Execute(parse)));
        return command;
    }

    private int Execute(ParseResult parse)
    {
        var input = parse.GetValue(_in)!;
        if (!File.Exists(input)) throw new UsageException($"no such file ({input})");
        string method = parse.GetValue(_method)!;
        if (!Methods.Contains(method)) throw new UsageException($"unknown method '{method}'; choose vae, mean, knn or iterative (--method)");
        if (parse.GetValue(_stdOut) is not null && (method != "vae" || parse.GetValue(_samples) < 2))
            throw new UsageException("--std-out needs --method vae and --samples 2 or more (--std-out)");
        if (parse.GetValue(_out) is null && parse.Given(_evaluateMcar) is null) throw new UsageException("give --out FILE, --evaluate-mcar F, or both (--out)");
        var table = TabularCsv.Read(input);
        foreach (var warning in table.Warnings) Console.Error.WriteLine($"vae: warning: {warning} ({input})");
        var data = VaeImputer.AsMissingData(table);
        var summary = new Dictionary<string, object?> { ["rows"] = table.Rows, ["numeric_columns"] = table.NumericColumns.Count };

        if (parse.Given(_evaluateMcar) is float hide) summary["evaluate_mcar"] = EvaluateMcar(parse, data, hide);

        if (parse.GetValue(_out) is string output)
        {
            var imputer = CreateImputer(parse, method);
            imputer.Fit(data);
            float[] completed;
            float[]? deviation = null;
            if (imputer is VaeImputer vae && parse.GetValue(_samples) > 1)
            {
                var multiple = vae.TransformWithUncertainty(data);
                (completed, deviation) = (multiple.Mean, multiple.StandardDeviation);
            }
            else completed = imputer.Transform(data);
            int cols = data.Cols;
            AtomicFile.WriteAllText(output, table.WithNumericCells((row, k) => data.Mask[row * cols + k] == 0, (row, k) => Format(completed[row * cols + k])));
            if (parse.GetValue(_stdOut) is string stdPath && deviation is not null)
                AtomicFile.WriteAllText(stdPath, table.WithNumericCells((_, _) => true, (row, k) => Format(deviation[row * cols + k])));
            summary["method"] = method;
            summary["imputed_cells"] = data.Mask.Count((byte)0);
            summary["out"] = Path.GetFullPath(output);
            if (!parse.GetValue(_json)) Console.WriteLine($"imputed {summary["imputed_cells"]} cells with {method}; table in {output}");
        }
        if (parse.GetValue(_json)) Console.WriteLine(JsonSerializer.Serialize(summary));
        return ExitCodes.Success;
    }

    /// <summary>Hides a fraction of the observed cells, imputes them with every method, and compares with the truth.</summary>
    private Dictionary<string, object> EvaluateMcar(ParseResult parse, MissingData data, float hide)
    {
        var rng = new Rng(parse.GetValue(_seed) + 100);
        var mask = (byte[])data.Mask.Clone();
        for (int i = 0; i < mask.Length; i++) if (mask[i] != 0 && rng.NextDouble() < hide) mask[i] = 0;
        for (int col = 0; col < data.Cols; col++)
            if (Enumerable.Range(0, data.Rows).All(row => mask[row * data.Cols + col] == 0))
                throw new UsageException($"hiding {hide} of the cells leaves column {col + 1} with no observed value; use a smaller fraction (--evaluate-mcar)");
        var hidden = new MissingData(data.Values, mask, data.Rows, data.Cols);
        // Only cells that were observed and are now hidden are scored: the truth of the others is unknown.
        var scored = new byte[mask.Length];
        for (int i = 0; i < mask.Length; i++) scored[i] = data.Mask[i] != 0 && mask[i] == 0 ? (byte)0 : (byte)1;
        var scales = data.ObservedScales();
        var rmse = new Dictionary<string, double>();
        foreach (var method in Methods)
        {
            var imputed = CreateImputer(parse, method).Fit(hidden).Transform(hidden);
            // Errors are measured in standard deviations of each column, so that columns in large units do not dominate.
            var truth = new float[imputed.Length];
            for (int i = 0; i < imputed.Length; i++)
            {
                truth[i] = scored[i] == 0 ? (float)(data.Values[i] / scales[i % data.Cols]) : 0f;
                imputed[i] = scored[i] == 0 ? (float)(imputed[i] / scales[i % data.Cols]) : 0f;
            }
            rmse[method] = ImputationScores.Compute(truth, imputed, scored).Rmse;
        }
        string best = rmse.MinBy(pair => pair.Value).Key;
        if (!parse.GetValue(_json))
        {
            Console.WriteLine($"RMSE on {scored.Count((byte)0)} hidden cells ({hide:P0} of the observed), in column standard deviations:");
            foreach (var (method, value) in rmse) Console.WriteLine($"  {method,-10} {value:F4}");
            Console.WriteLine($"best: {best}");
        }
        return new Dictionary<string, object> { ["fraction"] = hide, ["hidden_cells"] = scored.Count((byte)0), ["rmse"] = rmse, ["best"] = best };
    }

    private IImputer CreateImputer(ParseResult parse, string method) => method switch
    {
        "mean" => new MeanImputer(),
        "knn" => new KnnImputer(),
        "iterative" => new IterativeImputer(),
        _ => new VaeImputer(new VaeImputerOptions
        {
            Epochs = parse.GetValue(_epochs),
            Seed = parse.GetValue(_seed),
            Samples = parse.GetValue(_samples),
            Iterations = parse.GetValue(_iterations),
        }),
    };

    private static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}

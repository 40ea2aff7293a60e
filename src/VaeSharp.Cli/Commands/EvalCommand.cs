using System.CommandLine;
using System.Text.Json;
using VaeSharp.Data;
using VaeSharp.Evaluation;
using VaeSharp.IO;
using VaeSharp.Tensors;

namespace VaeSharp.Cli.Commands;

/// <summary>
/// <c>vae eval</c>: the test −ELBO and its terms, the importance-weighted bound, the reconstruction MSE and latent
/// k-NN accuracy; also written to <c>eval.json</c> in the model folder for the report.
/// </summary>
internal sealed class EvalCommand
{
    /// <summary>The file the scores go to inside the model folder.</summary>
    public const string FileName = "eval.json";

    private readonly Option<string> _model = CommonOptions.Model();
    private readonly Option<int> _iwSamples = CommonOptions.IntInRange("--iw-samples", "Importance samples K per example", 1, 10_000, defaultValue: 100);
    private readonly Option<ulong> _seed = CommonOptions.Seed();
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();
    private readonly Option<bool> _json = CommonOptions.Json();

    public static Command Create() => new EvalCommand().Build();

    private Command Build()
    {
        var command = new Command("eval", "Score a model on the MNIST test set") { _model, _iwSamples, _seed, _dataDir, _json };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var folder = parse.GetValue(_model)!;
            var model = ModelFolder.Load(folder);
            using var held = CommonOptions.LockFolder(folder, "--model");
            if (model.Spec.Conditional)
                throw new UsageException($"a conditional model has no ELBO of p(x) to score; use vae impute --evaluate ({folder})");
            var dir = DataDirectory.Resolve(parse.GetValue(_dataDir));
            var report = EvaluationReport.Evaluate(model, Mnist.LoadTrain(dir), Mnist.LoadTest(dir), parse.GetValue(_iwSamples), new Rng(parse.GetValue(_seed)));
            var json = JsonSerializer.Serialize(report);
            AtomicFile.WriteAllText(Path.Combine(folder, FileName), json + "\n");
            if (parse.GetValue(_json)) Console.WriteLine(json);
            else
            {
                Console.WriteLine($"test -ELBO          {report.TestNegElbo,10:F2}  (reconstruction {report.TestReconstruction:F2}, KL {report.TestKl:F2})");
                Console.WriteLine($"IW bound, K={report.IwSamples,-5}  {report.IwNll,10:F2}");
                Console.WriteLine($"reconstruction MSE  {report.ReconstructionMse,10:F5}");
                Console.WriteLine($"latent 5-NN acc.    {report.LatentKnnAccuracy,10:P2}");
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}

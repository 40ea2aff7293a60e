using System.CommandLine;
using System.Text.Json;
using VaeSharp.Data;
using VaeSharp.Evaluation;
using VaeSharp.IO;
using VaeSharp.Models;
using VaeSharp.Plotting;
using VaeSharp.Tensors;

namespace VaeSharp.Cli.Commands;

/// <summary>
/// <c>vae eval</c>: the test −ELBO and its terms, the importance-weighted bound, the reconstruction MSE and latent
/// k-NN accuracy; also written to <c>eval.json</c> in the model folder for the report. An encoder part file gets
/// the latent k-NN accuracy only.
/// </summary>
internal sealed class EvalCommand
{
    /// <summary>The file the scores go to inside the model folder.</summary>
    public const string FileName = "eval.json";

    private readonly Option<string> _model = CommonOptions.Model();
    private readonly Option<int> _iwSamples = CommonOptions.IntInRange("--iw-samples", "Importance samples K per example", 1, 10_000, defaultValue: 100);
    private readonly Option<ulong> _seed = CommonOptions.Seed("the ELBO's and the bound's draws");
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();
    private readonly Option<bool> _json = CommonOptions.Json();

    public static Command Create() => new EvalCommand().Build();

    private Command Build()
    {
        var command = new Command("eval", "Score a model on the test set: MNIST's, or a --csv run's validation images") { _model, _iwSamples, _seed, _dataDir, _json };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var folder = parse.GetValue(_model)!;
            bool isFolder = Directory.Exists(folder), holdsModel = isFolder && File.Exists(Path.Combine(folder, ModelFile.FileName));
            if (holdsModel) CommonOptions.OutputFolder(folder, "--model"); // eval.json goes there: fail now, not after a minute of scoring
            // Locked before the model is read, so that no writer replaces it between the read and the hash eval.json records.
            using var held = holdsModel ? CommonOptions.LockFolder(folder, "--model") : null;
            var model = ModelFolder.LoadPart(folder, ModelPart.Encoder, "eval");
            if (model.Spec.Conditional && model.Part == ModelPart.Vae)
                throw new UsageException($"a conditional model has no ELBO of p(x) to score; use vae impute --evaluate ({folder})");
            // A --csv run is scored on its own validation images, as its curves and pictures are; else MNIST's test set.
            var (train, test) = PictureOptions.LoadSplits(folder, parse.GetValue(_dataDir));
            if (train.Labels is null || test.Labels is null)
                throw new UsageException($"eval's latent 5-NN score needs labelled images, and the run's CSV has none; give --data-dir to score on MNIST ({folder})");
            if (model.Part == ModelPart.Encoder)
            {
                if (parse.Given(_iwSamples) is not null)
                    throw new UsageException($"{folder} holds only an encoder, which eval scores by its latent 5-NN accuracy alone; the bound needs the decoder too (--iw-samples)");
                return LatentOnly(model, train, test, parse.GetValue(_json));
            }
            var report = ProgressDisplay.Run(step => EvaluationReport.Evaluate(model, train, test, parse.GetValue(_iwSamples), new Rng(parse.GetValue(_seed)),
                new InlineProgress<EvaluationProgress>(at => step(at.Stage, at.Done, at.Total))));
            var fields = JsonSerializer.SerializeToNode(report)!.AsObject();
            // The model it scored, so that report and serve can tell scores of an earlier model of the folder.
            if (isFolder) fields[RunReport.ModelHashKey] = RunReport.FileHash(Path.Combine(folder, ModelFile.FileName));
            var json = fields.ToJsonString(CliJson.Options);
            // The scores go beside the model only in a run folder: nothing is written next to an input file.
            if (isFolder) AtomicFile.WriteAllText(Path.Combine(folder, FileName), json + "\n");
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

    /// <summary>An encoder alone has no ELBO: only the latent k-NN accuracy is scored, and printed, not written.</summary>
    private static int LatentOnly(VaeModel model, Dataset train, Dataset test, bool asJson)
    {
        double accuracy = EvaluationReport.ScoreLatentKnn(model, train, test);
        if (asJson) CliJson.WriteLine(new Dictionary<string, double> { ["latent_knn_accuracy"] = accuracy });
        else Console.WriteLine($"latent 5-NN acc.    {accuracy,10:P2}");
        return ExitCodes.Success;
    }
}

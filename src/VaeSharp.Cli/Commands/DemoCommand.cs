using System.CommandLine;
using VaeSharp.Data;
using VaeSharp.IO;
using VaeSharp.Models;
using VaeSharp.Plotting;
using VaeSharp.Training;

namespace VaeSharp.Cli.Commands;

/// <summary>
/// <c>vae demo</c>: fetch MNIST if missing, train keras-mlp for a few epochs, draw its pictures and write its report,
/// then print the <c>vae serve</c> command that opens the model in the browser.
/// </summary>
internal sealed class DemoCommand
{
    private readonly Option<int> _epochs = CommonOptions.IntInRange("--epochs", "Passes over the training set", 1, 100_000, defaultValue: 5);
    private readonly Option<string?> _out = CommonOptions.Out("Run folder (default: runs/keras-mlp-<timestamp>)");
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();
    private readonly Option<ulong> _seed = CommonOptions.Seed();
    private readonly Option<bool> _force = CommonOptions.Force();

    public static Command Create() => new DemoCommand().Build();

    private Command Build()
    {
        var command = new Command("demo", "Fetch MNIST, train keras-mlp, draw its pictures and write its report: the whole path in one go") { _epochs, _out, _dataDir, _seed, _force };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            string folder = parse.GetValue(_out) ?? TrainCommand.DefaultRunFolder(Preset.KerasMlp.Name);
            bool force = parse.GetValue(_force);
            if (string.IsNullOrWhiteSpace(folder) || (!force && RunDirectory.HoldsRun(folder)))
                CommonOptions.NewRunFolder(folder, force, "--out").Lock.Dispose(); // fails fast: empty (2), in use (1) or occupied (2)
            var dir = DataDirectory.Resolve(parse.GetValue(_dataDir));
            if (!MnistPresent(dir))
            {
                Console.Error.WriteLine($"fetching MNIST into {dir}");
                FetchDisplay.Run(dir, new FetchOptions());
            }
            var preset = Preset.KerasMlp;
            var data = TrainingData.Load(dir, limit: null);
            var (run, runLock) = CommonOptions.NewRunFolder(folder, force, "--out");
            using var held = runLock;
            ulong seed = parse.GetValue(_seed);
            var trainer = Trainer.ForNewModel(preset.Spec, TrainingOptions.FromPreset(preset) with { Epochs = parse.GetValue(_epochs), Seed = seed });
            var summary = TrainCommand.Train(trainer, data, run);
            var model = trainer.Model;
            var figures = new (string Name, Func<byte[]> Draw)[]
            {
                ("manifold.png", () => Figures.Manifold(model, 30, 4f, gaussian: false, 0, 1, 1)),
                ("latent.png", () => Figures.Latent(model, data.Test, 10_000)),
                ("generate.png", () => Figures.Generate(model, 100, seed, 1)),
                ("reconstruct.png", () => Figures.Reconstruct(model, data.Test, 20, 1)),
                ("curves.png", () => Figures.Curves(MetricsLog.Read(run.MetricsPath))),
            };
            foreach (var (name, draw) in figures) AtomicFile.WriteAllBytes(Path.Combine(run.Path, name), draw());
            var report = Path.Combine(run.Path, "report.html");
            AtomicFile.WriteAllText(report, RunReport.Build(model, run.Path, data.Test, seed));
            Console.WriteLine($"test -ELBO {summary["test_neg_elbo"]:F2} nats after {summary["epochs"]} epoch{((int)summary["epochs"]! == 1 ? "" : "s")}");
            Console.WriteLine($"model    {run.ModelPath}");
            Console.WriteLine($"metrics  {run.MetricsPath}");
            Console.WriteLine($"pictures {string.Join(", ", figures.Select(figure => figure.Name))} in {run.Path}");
            Console.WriteLine($"report   {report}");
            Console.WriteLine($"explore  vae serve --model {run.Path}{DataDirArgument(parse.GetValue(_dataDir))}");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The demo's own <c>--data-dir</c>, passed on so that the served map finds the same test set.</summary>
    private static string DataDirArgument(string? dataDir) => dataDir is null ? "" : $" --data-dir {dataDir}";

    private static bool MnistPresent(string dir) =>
        MnistFiles.All.All(file => File.Exists(Path.Combine(dir, file.Name)) || File.Exists(Path.Combine(dir, file.Name + ".gz")));
}

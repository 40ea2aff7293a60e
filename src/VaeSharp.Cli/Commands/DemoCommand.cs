using System.CommandLine;
using VaeSharp.Data;
using VaeSharp.Models;
using VaeSharp.Training;

namespace VaeSharp.Cli.Commands;

/// <summary><c>vae demo</c>: fetch MNIST if missing, train keras-mlp for a few epochs and draw its manifold.</summary>
internal static class DemoCommand
{
    private static readonly Option<int> Epochs = CommonOptions.IntInRange("--epochs", "Passes over the training set", 1, 100_000, defaultValue: 5);
    private static readonly Option<string?> Out = CommonOptions.Out("Run folder (default: runs/keras-mlp-<timestamp>)");
    private static readonly Option<string?> DataDir = CommonOptions.DataDir();
    private static readonly Option<ulong> Seed = CommonOptions.Seed();

    public static Command Create()
    {
        var command = new Command("demo", "Fetch MNIST, train keras-mlp and write its manifold: the whole path in one go") { Epochs, Out, DataDir, Seed };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var dir = DataDirectory.Resolve(parse.GetValue(DataDir));
            if (!MnistPresent(dir))
            {
                Console.Error.WriteLine($"fetching MNIST into {dir}");
                FetchDisplay.Run(dir, new FetchOptions());
            }
            var preset = Preset.KerasMlp;
            var data = TrainingData.Load(dir, limit: null);
            var run = new RunDirectory(parse.GetValue(Out) ?? TrainCommand.DefaultRunFolder(preset.Name));
            var trainer = Trainer.ForNewModel(preset.Spec,
                TrainingOptions.FromPreset(preset) with { Epochs = parse.GetValue(Epochs), Seed = parse.GetValue(Seed) });
            var summary = TrainCommand.Train(trainer, data, run);
            var manifold = Path.Combine(run.Path, "manifold.png");
            ManifoldCommand.Write(ModelFile.Load(run.ModelPath), 30, 4f, manifold);
            Console.WriteLine($"test -ELBO {summary["test_neg_elbo"]:F2} nats after {summary["epochs"]} epochs");
            Console.WriteLine($"model    {run.ModelPath}");
            Console.WriteLine($"metrics  {run.MetricsPath}");
            Console.WriteLine($"manifold {manifold}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static bool MnistPresent(string dir) =>
        MnistFiles.All.All(file => File.Exists(Path.Combine(dir, file.Name)) || File.Exists(Path.Combine(dir, file.Name + ".gz")));
}

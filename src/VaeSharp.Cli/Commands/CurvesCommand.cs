using System.CommandLine;
using VaeSharp.Plotting;
using VaeSharp.Training;

namespace VaeSharp.Cli.Commands;

/// <summary><c>vae curves</c>: the training and validation losses per epoch from a run's metrics.jsonl.</summary>
internal static class CurvesCommand
{
    private static readonly Option<string> Model = CommonOptions.Model();
    private static readonly Option<string?> Out = CommonOptions.Out("PNG file (default: <model>/curves.png)");

    public static Command Create()
    {
        var command = new Command("curves", "Plot total, reconstruction and KL loss per epoch, training beside test") { Model, Out };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var folder = parse.GetValue(Model)!;
            if (!Directory.Exists(folder)) throw new UsageException($"no such model folder ({folder})");
            var path = Path.Combine(folder, RunDirectory.MetricsFileName);
            if (!File.Exists(path)) throw new UsageException($"the folder holds no {RunDirectory.MetricsFileName}; it is written by `vae train` ({folder})");
            var history = MetricsLog.Read(path);
            if (history.Count == 0) throw new InvalidDataException($"no epochs in {RunDirectory.MetricsFileName} ({path})");
            PictureOptions.Save(parse.GetValue(Out), folder, "curves.png", Figures.Curves(history));
            return ExitCodes.Success;
        }));
        return command;
    }
}

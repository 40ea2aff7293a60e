using System.CommandLine;
using VaeSharp.Plotting;
using VaeSharp.Training;

namespace VaeSharp.Cli.Commands;

/// <summary><c>vae curves</c>: the training and validation losses per epoch from a run's metrics.jsonl.</summary>
internal sealed class CurvesCommand
{
    private readonly Option<string> _model = CommonOptions.Model();
    private readonly Option<string?> _out = CommonOptions.Out("PNG file (default: <model>/curves.png)");

    public static Command Create() => new CurvesCommand().Build();

    private Command Build()
    {
        var command = new Command("curves", "Plot total, reconstruction and KL loss per epoch, training beside test") { _model, _out };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var folder = parse.GetValue(_model)!;
            if (!Directory.Exists(folder))
                throw new UsageException(File.Exists(folder) ? $"curves needs a run folder, not a file ({folder})" : $"no such model folder ({folder})");
            var path = Path.Combine(folder, RunDirectory.MetricsFileName);
            if (!File.Exists(path)) throw new UsageException($"the folder holds no {RunDirectory.MetricsFileName}; it is written by `vae train` ({folder})");
            var history = MetricsLog.Read(path);
            if (history.Count == 0) throw new InvalidDataException($"no epochs in {RunDirectory.MetricsFileName} ({path})");
            PictureOptions.Save(parse.GetValue(_out), folder, "curves.png", Figures.Curves(history));
            return ExitCodes.Success;
        }));
        return command;
    }
}

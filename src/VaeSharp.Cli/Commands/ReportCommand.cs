using System.CommandLine;
using System.Text;
using VaeSharp.Plotting;

namespace VaeSharp.Cli.Commands;

/// <summary><c>vae report</c>: one self-contained HTML page with the model, its metrics and all its pictures.</summary>
internal sealed class ReportCommand
{
    private readonly Option<string> _model = CommonOptions.Model();
    private readonly Option<ulong> _seed = CommonOptions.Seed("the report's prior draws");
    private readonly Option<string?> _out = CommonOptions.Out("HTML file (default: <model>/report.html)");
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();

    public static Command Create() => new ReportCommand().Build();

    private Command Build()
    {
        var command = new Command("report", "Write a self-contained HTML report: summary, metrics, curves, latent space and samples")
        {
            _model, _seed, _out, _dataDir,
        };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var folder = parse.GetValue(_model)!;
            var model = ModelFolder.Load(folder);
            var test = PictureOptions.LoadSplit(folder, parse.GetValue(_dataDir), "test");
            string html = RunReport.Build(model, folder, test, parse.GetValue(_seed));
            PictureOptions.Save(parse.GetValue(_out), folder, "report.html", new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(html));
            return ExitCodes.Success;
        }));
        return command;
    }
}

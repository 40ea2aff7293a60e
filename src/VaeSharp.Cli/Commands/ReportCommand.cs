using System.CommandLine;
using System.Text;
using VaeSharp.Plotting;

namespace VaeSharp.Cli.Commands;

/// <summary><c>vae report</c>: one self-contained HTML page with the model, its metrics and all its pictures.</summary>
internal static class ReportCommand
{
    private static readonly Option<string> Model = CommonOptions.Model();
    private static readonly Option<ulong> Seed = CommonOptions.Seed();
    private static readonly Option<string?> Out = CommonOptions.Out("HTML file (default: <model>/report.html)");
    private static readonly Option<string?> DataDir = CommonOptions.DataDir();

    public static Command Create()
    {
        var command = new Command("report", "Write a self-contained HTML report: summary, metrics, curves, latent space and samples")
        {
            Model, Seed, Out, DataDir,
        };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var folder = parse.GetValue(Model)!;
            var model = ModelFolder.Load(folder);
            var test = PictureOptions.LoadSplit(parse.GetValue(DataDir), "test");
            string html = RunReport.Build(model, folder, test, parse.GetValue(Seed));
            PictureOptions.Save(parse.GetValue(Out), folder, "report.html", new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(html));
            return ExitCodes.Success;
        }));
        return command;
    }
}

using System.CommandLine;
using VaeSharp.Plotting;

namespace VaeSharp.Cli.Commands;

/// <summary><c>vae reconstruct</c>: test images above their reconstructions.</summary>
internal sealed class ReconstructCommand
{
    private readonly Option<string> _model = CommonOptions.Model();
    private readonly Option<int> _count = CommonOptions.IntInRange("--count", "Pairs to show, from the start of the split", 1, 10_000, defaultValue: 20);
    private readonly Option<string> _split = PictureOptions.Split();
    private readonly Option<int> _scale = PictureOptions.Scale();
    private readonly Option<string?> _out = CommonOptions.Out("PNG file (default: <model>/reconstruct.png)");
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();

    public static Command Create() => new ReconstructCommand().Build();

    private Command Build()
    {
        var command = new Command("reconstruct", "Show images above their reconstructions, ten pairs a band") { _model, _count, _split, _scale, _out, _dataDir };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var folder = parse.GetValue(_model)!;
            var model = ModelFolder.Load(folder);
            var data = PictureOptions.LoadSplit(parse.GetValue(_model)!, parse.GetValue(_dataDir), parse.GetValue(_split)!);
            PictureOptions.Save(parse.GetValue(_out), folder, "reconstruct.png",
                PictureOptions.Draw(["--count", "--scale"], () => Figures.Reconstruct(model, data, parse.GetValue(_count), parse.GetValue(_scale))));
            return ExitCodes.Success;
        }));
        return command;
    }
}

using System.CommandLine;
using VaeSharp.Plotting;

namespace VaeSharp.Cli.Commands;

/// <summary><c>vae reconstruct</c>: test images above their reconstructions.</summary>
internal static class ReconstructCommand
{
    private static readonly Option<string> Model = CommonOptions.Model();
    private static readonly Option<int> Count = CommonOptions.IntInRange("--count", "Pairs to show, from the start of the split", 1, 10_000, defaultValue: 20);
    private static readonly Option<string> Split = PictureOptions.Split();
    private static readonly Option<int> Scale = PictureOptions.Scale();
    private static readonly Option<string?> Out = CommonOptions.Out("PNG file (default: <model>/reconstruct.png)");
    private static readonly Option<string?> DataDir = CommonOptions.DataDir();

    public static Command Create()
    {
        var command = new Command("reconstruct", "Show images above their reconstructions, ten pairs a band") { Model, Count, Split, Scale, Out, DataDir };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var folder = parse.GetValue(Model)!;
            var model = ModelFolder.Load(folder);
            var data = PictureOptions.LoadSplit(parse.GetValue(DataDir), parse.GetValue(Split)!);
            PictureOptions.Save(parse.GetValue(Out), folder, "reconstruct.png",
                Figures.Reconstruct(model, data, parse.GetValue(Count), parse.GetValue(Scale)));
            return ExitCodes.Success;
        }));
        return command;
    }
}

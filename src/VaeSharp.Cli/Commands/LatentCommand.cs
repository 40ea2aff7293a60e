using System.CommandLine;
using VaeSharp.Plotting;

namespace VaeSharp.Cli.Commands;

/// <summary><c>vae latent</c>: the scatter of the latent means of MNIST images, coloured by digit.</summary>
internal static class LatentCommand
{
    private static readonly Option<string> Model = CommonOptions.Model();
    private static readonly Option<string> Split = PictureOptions.Split();
    private static readonly Option<int> Max = CommonOptions.IntInRange("--max", "Images to encode, from the start of the split", 1, 1_000_000, defaultValue: 10_000);
    private static readonly Option<bool> LabelsAsText = new("--labels-as-text") { Description = "Draw a subsample of the points as their digit" };
    private static readonly Option<string?> Out = CommonOptions.Out("PNG file (default: <model>/latent.png)");
    private static readonly Option<string?> DataDir = CommonOptions.DataDir();

    public static Command Create()
    {
        var command = new Command("latent", "Scatter the latent means coloured by digit (3 projections for latent 3, PCA above)")
        {
            Model, Split, Max, LabelsAsText, Out, DataDir,
        };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var folder = parse.GetValue(Model)!;
            var model = ModelFolder.Load(folder);
            var data = PictureOptions.LoadSplit(parse.GetValue(DataDir), parse.GetValue(Split)!);
            PictureOptions.Save(parse.GetValue(Out), folder, "latent.png", Figures.Latent(model, data, parse.GetValue(Max), parse.GetValue(LabelsAsText)));
            return ExitCodes.Success;
        }));
        return command;
    }
}

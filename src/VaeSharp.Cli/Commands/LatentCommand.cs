using System.CommandLine;
using VaeSharp.Models;
using VaeSharp.Plotting;

namespace VaeSharp.Cli.Commands;

/// <summary><c>vae latent</c>: the scatter of the latent means of MNIST images, coloured by digit; an encoder part file is enough.</summary>
internal sealed class LatentCommand
{
    private readonly Option<string> _model = CommonOptions.Model();
    private readonly Option<string> _split = PictureOptions.Split();
    private readonly Option<int> _max = CommonOptions.IntInRange("--max", "Images to encode, from the start of the split", 1, 1_000_000, defaultValue: 10_000);
    private readonly Option<bool> _labelsAsText = new("--labels-as-text") { Description = "Draw a subsample of the points as their digit" };
    private readonly Option<string?> _out = CommonOptions.Out("PNG file (default: <model>/latent.png)");
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();

    public static Command Create() => new LatentCommand().Build();

    private Command Build()
    {
        var command = new Command("latent", "Scatter the latent means coloured by digit (3 projections for latent 3, PCA above)")
        {
            _model, _split, _max, _labelsAsText, _out, _dataDir,
        };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var folder = ModelFolder.OutputFolder(parse.GetValue(_model)!, parse.GetValue(_out));
            var model = ModelFolder.LoadPart(folder, ModelPart.Encoder, "latent");
            var data = PictureOptions.LoadSplit(parse.GetValue(_model)!, parse.GetValue(_dataDir), parse.GetValue(_split)!);
            PictureOptions.Save(parse.GetValue(_out), folder, "latent.png", Figures.Latent(model, data, parse.GetValue(_max), parse.GetValue(_labelsAsText)));
            return ExitCodes.Success;
        }));
        return command;
    }
}

using System.CommandLine;
using VaeSharp.Plotting;

namespace VaeSharp.Cli.Commands;

/// <summary><c>vae generate</c>: decodes draws from the prior N(0, I) into a grid of digits.</summary>
internal static class GenerateCommand
{
    private static readonly Option<string> Model = CommonOptions.Model();
    private static readonly Option<int> Count = CommonOptions.IntInRange("--count", "Samples to draw", 1, 10_000, defaultValue: 100);
    private static readonly Option<ulong> Seed = CommonOptions.Seed();
    private static readonly Option<int> Scale = PictureOptions.Scale();
    private static readonly Option<string?> Out = CommonOptions.Out("PNG file (default: <model>/generate.png)");

    public static Command Create()
    {
        var command = new Command("generate", "Decode samples from the prior into a grid of digits") { Model, Count, Seed, Scale, Out };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var folder = parse.GetValue(Model)!;
            var model = ModelFolder.Load(folder);
            PictureOptions.Save(parse.GetValue(Out), folder, "generate.png",
                Figures.Generate(model, parse.GetValue(Count), parse.GetValue(Seed), parse.GetValue(Scale)));
            return ExitCodes.Success;
        }));
        return command;
    }
}

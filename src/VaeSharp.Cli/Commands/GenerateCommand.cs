using System.CommandLine;
using VaeSharp.Models;
using VaeSharp.Plotting;

namespace VaeSharp.Cli.Commands;

/// <summary><c>vae generate</c>: decodes draws from the prior N(0, I) into a grid of digits; a decoder part file is enough.</summary>
internal sealed class GenerateCommand
{
    private readonly Option<string> _model = CommonOptions.Model();
    private readonly Option<int> _count = CommonOptions.IntInRange("--count", "Samples to draw", 1, 10_000, defaultValue: 100);
    private readonly Option<ulong> _seed = CommonOptions.Seed("the prior draws");
    private readonly Option<int> _scale = PictureOptions.Scale();
    private readonly Option<string?> _out = CommonOptions.Out("PNG file (default: <model>/generate.png)");

    public static Command Create() => new GenerateCommand().Build();

    private Command Build()
    {
        var command = new Command("generate", "Decode samples from the prior into a grid of digits") { _model, _count, _seed, _scale, _out };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var folder = ModelFolder.OutputFolder(parse.GetValue(_model)!, parse.GetValue(_out));
            var model = ModelFolder.LoadPart(folder, ModelPart.Decoder, "generate");
            if (model.Spec.Conditional && model.Part != ModelPart.Vae)
                throw new UsageException("a conditional model draws z from its learned prior, the encoder, so generate needs the whole model (--model)");
            PictureOptions.Save(parse.GetValue(_out), folder, "generate.png",
                PictureOptions.Draw(["--count", "--scale"], () => Figures.Generate(model, parse.GetValue(_count), parse.GetValue(_seed), parse.GetValue(_scale))));
            return ExitCodes.Success;
        }));
        return command;
    }
}

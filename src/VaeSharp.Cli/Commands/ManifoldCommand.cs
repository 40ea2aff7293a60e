using System.CommandLine;
using VaeSharp.Models;
using VaeSharp.Plotting;

namespace VaeSharp.Cli.Commands;

/// <summary><c>vae manifold</c>: decodes a grid of latent points into one PNG of digits, with z values on both axes; a decoder part file is enough.</summary>
internal sealed class ManifoldCommand
{
    private readonly Option<string> _model = CommonOptions.Model();
    private readonly Option<int> _grid = CommonOptions.IntInRange("--grid", "Digits per side", 1, 200, defaultValue: 30);
    private readonly Option<float> _range = CommonOptions.FloatInRange("--range", "A linear grid spans [-range, range] (default 4)", 0f, 1000f);
    private readonly Option<string> _spacing = new("--spacing")
    {
        Description = "linear: evenly over [-range, range]; gaussian: normal quantiles of linspace(0.05, 0.95, grid)",
        DefaultValueFactory = _ => "linear",
    };
    private readonly Option<string?> _dims = new("--dims") { Description = "The two latent dimensions that vary, as i,j (default 0,1); the others stay 0" };
    private readonly Option<int> _scale = PictureOptions.Scale();
    private readonly Option<bool> _plain = new("--plain") { Description = "Write the bare grayscale digit grid, without axes or title" };
    private readonly Option<string?> _out = CommonOptions.Out("PNG file (default: <model>/manifold.png)");

    public static Command Create() => new ManifoldCommand().Build();

    private Command Build()
    {
        _range.DefaultValueFactory = _ => 4f;
        var command = new Command("manifold", "Draw the decoder's digit manifold over a latent grid")
        {
            _model, _grid, _range, _spacing, _dims, _scale, _plain, _out,
        };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var folder = ModelFolder.OutputFolder(parse.GetValue(_model)!, parse.GetValue(_out));
            var model = ModelFolder.LoadPart(folder, ModelPart.Decoder, "manifold");
            bool gaussian = parse.GetValue(_spacing) switch
            {
                "linear" => false,
                "gaussian" => true,
                var other => throw new UsageException($"unknown spacing '{other}'; choose linear or gaussian (--spacing)"),
            };
            if (gaussian && parse.Given(_range) is not null) throw new UsageException("--range sets a linear grid; leave it out with --spacing gaussian (--range)");
            var (dimX, dimY) = ParseDims(parse.GetValue(_dims), model.LatentSize);
            int grid = parse.GetValue(_grid), scale = parse.GetValue(_scale);
            float range = parse.GetValue(_range);
            var png = PictureOptions.Draw(["--grid", "--scale"], () => parse.GetValue(_plain)
                ? Figures.PlainManifold(model, grid, range, gaussian, dimX, dimY, scale)
                : Figures.Manifold(model, grid, range, gaussian, dimX, dimY, scale));
            PictureOptions.Save(parse.GetValue(_out), folder, "manifold.png", png);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static (int DimX, int DimY) ParseDims(string? text, int latent)
    {
        if (text is null) return (0, Math.Min(1, latent - 1));
        var parts = text.Split(',');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int dimX) || !int.TryParse(parts[1], out int dimY))
            throw new UsageException($"'{text}' is not two dimensions i,j (--dims)");
        if (dimX < 0 || dimY < 0 || dimX >= latent || dimY >= latent || (dimX == dimY && latent > 1))
            throw new UsageException($"dimensions {text} must be two different ones of 0..{latent - 1} (--dims)");
        return (dimX, dimY);
    }
}

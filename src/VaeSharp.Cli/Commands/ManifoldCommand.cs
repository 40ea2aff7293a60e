using System.CommandLine;
using VaeSharp.IO;
using VaeSharp.Plotting;

namespace VaeSharp.Cli.Commands;

/// <summary><c>vae manifold</c>: decodes a grid of latent points into one PNG of digits.</summary>
internal static class ManifoldCommand
{
    private static readonly Option<string> Model = CommonOptions.Model();
    private static readonly Option<int> Grid = CommonOptions.IntInRange("--grid", "Digits per side", 1, 200, defaultValue: 30);
    private static readonly Option<float> Range = CommonOptions.FloatInRange("--range", "The grid spans [-range, range] in z[0] and z[1] (default 4)", 0f, 1000f);
    private static readonly Option<string?> Out = CommonOptions.Out("PNG file (default: <model>/manifold.png)");

    public static Command Create()
    {
        Range.DefaultValueFactory = _ => 4f;
        var command = new Command("manifold", "Draw the decoder's digit manifold over a latent grid") { Model, Grid, Range, Out };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var folder = parse.GetValue(Model)!;
            var model = ModelFolder.Load(folder);
            var path = parse.GetValue(Out) ?? Path.Combine(folder, "manifold.png");
            Write(model, parse.GetValue(Grid), parse.GetValue(Range), path);
            Console.WriteLine(path);
            return ExitCodes.Success;
        }));
        return command;
    }

    internal static void Write(Models.VaeModel model, int grid, float range, string path)
    {
        var (height, width) = model.Spec.InputShape.Length == 2 ? (model.Spec.InputShape[0], model.Spec.InputShape[1]) : (1, model.InputSize);
        AtomicFile.Write(path, stream => Manifold.WritePng(stream, model, grid, range, height, width));
    }
}

using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using VaeSharp.IO;
using VaeSharp.Models;
using VaeSharp.Plotting;
using VaeSharp.Tensors;

namespace VaeSharp.Cli.Commands;

/// <summary><c>vae summary</c>: each layer, its output shape and its parameter count, then the total — like Keras's summary().</summary>
internal sealed class SummaryCommand
{
    private readonly Option<string?> _preset = new("--preset") { Description = "A preset: " + string.Join(", ", Preset.All.Select(p => p.Name)) };
    private readonly Option<string?> _spec = new("--spec") { Description = "A ModelSpec JSON file" };
    private readonly Option<string?> _model = new("--model") { Description = "A run folder holding model.safetensors" };
    private readonly Option<string?> _diagram = new("--diagram") { Description = "Also draw the architecture to this PNG file, as Keras's plot_model(show_shapes=True)" };
    private readonly Option<bool> _json = CommonOptions.Json();

    public static Command Create() => new SummaryCommand().Build();

    private Command Build()
    {
        var command = new Command("summary", "Show a model's layers, output shapes and parameter counts") { _preset, _spec, _model, _diagram, _json };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var model = Resolve(parse.GetValue(_preset), parse.GetValue(_spec), parse.GetValue(_model));
            var rows = model.Summary();
            if (parse.GetValue(_diagram) is string diagramPath) WriteDiagram(model, diagramPath);
            if (parse.GetValue(_json))
            {
                CliJson.WriteLine(new
                {
                    name = model.Spec.Name,
                    parameters = model.Parameters.Count,
                    layers = rows.Select(row => new { name = row.Name, layer = row.Description, output_shape = row.OutputShape.Dims, parameters = row.Parameters }),
                });
                return ExitCodes.Success;
            }
            var table = new Table().Title($"{model.Spec.Name}: input {LayerSummary.FormatShape(new Shape(model.Spec.InputShape))}, latent {model.LatentSize}")
                .AddColumn("Layer").AddColumn("Type").AddColumn("Output shape").AddColumn(new TableColumn("Param #").RightAligned());
            foreach (var row in rows)
                table.AddRow(Markup.Escape(row.Name), Markup.Escape(row.Description), LayerSummary.FormatShape(row.OutputShape), row.Parameters.ToString("N0", CultureInfo.InvariantCulture));
            table.Caption($"Total params: {model.Parameters.Count.ToString("N0", CultureInfo.InvariantCulture)}");
            bool redirected = Console.IsOutputRedirected;
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(Console.Out),
                Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
                ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            });
            if (redirected) console.Profile.Width = 120;
            console.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Draws the diagram to <paramref name="path"/> atomically; a path that cannot hold a file is a usage error.</summary>
    private static void WriteDiagram(VaeModel model, string path)
    {
        CommonOptions.CheckOutputFile(path, "--diagram");
        AtomicFile.WriteAllBytes(path, ArchitectureDiagram.ToPng(model));
    }

    private static VaeModel Resolve(string? presetName, string? specPath, string? modelFolder)
    {
        int given = (presetName is null ? 0 : 1) + (specPath is null ? 0 : 1) + (modelFolder is null ? 0 : 1);
        if (given != 1) throw new UsageException("give exactly one of --preset, --spec or --model (--preset)");
        if (modelFolder is not null) return ModelFolder.Load(modelFolder);
        if (specPath is not null)
        {
            if (!File.Exists(specPath)) throw new UsageException($"no such spec file ({specPath})");
            return new VaeModel(ModelSpec.FromJson(File.ReadAllText(specPath), specPath), new Rng(0));
        }
        var preset = CommonOptions.FindPreset(presetName!);
        return new VaeModel(preset.Spec, new Rng(0));
    }
}

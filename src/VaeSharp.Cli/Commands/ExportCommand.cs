using System.CommandLine;
using VaeSharp.Export;
using VaeSharp.IO;
using VaeSharp.Models;

namespace VaeSharp.Cli.Commands;

/// <summary>
/// <c>vae export</c>: writes a model's encoder, decoder or both as a safetensors part file (which generate,
/// manifold, latent and eval read as <c>--model</c>) or as an ONNX model for ONNX Runtime.
/// </summary>
internal sealed class ExportCommand
{
    private readonly Option<string> _model = new("--model") { Description = "A run folder holding model.safetensors, or a model or part file", Required = true };
    private readonly Option<string> _part = new("--part") { Description = "What to export: encoder, decoder or vae (the whole model)", Required = true };
    private readonly Option<string?> _format = new("--format") { Description = "safetensors or onnx (default: onnx when --out ends in .onnx, else safetensors)" };
    private readonly Option<string?> _out = CommonOptions.Out("The file to write (default: <model>/<part>.<format>; required when --model is a file)");

    public static Command Create() => new ExportCommand().Build();

    private Command Build()
    {
        var command = new Command("export", "Write the encoder, the decoder or the whole model as safetensors or ONNX") { _model, _part, _format, _out };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var part = parse.GetValue(_part) switch
            {
                "encoder" => ModelPart.Encoder,
                "decoder" => ModelPart.Decoder,
                "vae" => ModelPart.Vae,
                var other => throw new UsageException($"unknown part '{other}'; choose encoder, decoder or vae (--part)"),
            };
            bool onnx = Format(parse.GetValue(_format), parse.GetValue(_out));
            var source = ModelFolder.OutputFolder(parse.GetValue(_model)!, parse.GetValue(_out));
            var model = ModelFolder.LoadPart(source, part, "export --part " + parse.GetValue(_part));
            var outPath = parse.GetValue(_out);
            var path = outPath ?? Path.Combine(source, $"{parse.GetValue(_part)}.{(onnx ? "onnx" : "safetensors")}");
            CheckTarget(path, source);
            byte[]? graph = onnx ? Graph(model, part) : null; // built before anything is written
            using (outPath is null ? CommonOptions.LockFolder(source, "--model") : null)
                Write(path, () =>
                {
                    if (graph is not null) AtomicFile.WriteAllBytes(path, graph);
                    else ModelFile.SavePart(model, part, path);
                });
            Console.WriteLine(path);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// Whether to write ONNX: as <c>--format</c> says, else as <c>--out</c>'s extension says; a format that
    /// contradicts the extension is a usage error, so that no decoder.onnx holds safetensors.
    /// </summary>
    private static bool Format(string? format, string? output)
    {
        string extension = Path.GetExtension(output ?? "").ToLowerInvariant();
        bool? named = extension switch { ".onnx" => true, ".safetensors" => false, _ => null };
        bool? chosen = format switch
        {
            null => null,
            "safetensors" => false,
            "onnx" => true,
            var other => throw new UsageException($"unknown format '{other}'; choose safetensors or onnx (--format)"),
        };
        if (chosen is bool asked && named is bool fromName && asked != fromName)
            throw new UsageException($"--format {format} would write a {(asked ? "ONNX" : "safetensors")} file named {Path.GetFileName(output)}; drop --format or change the name (--format)");
        return chosen ?? named ?? false;
    }

    private static byte[] Graph(VaeModel model, ModelPart part)
    {
        try
        {
            return OnnxExport.ToBytes(model, part);
        }
        catch (OnnxExportException e)
        {
            throw new UsageException($"cannot export to ONNX: {e.Message} (--format)");
        }
    }

    /// <summary>A target that names a folder, lies in a folder that does not exist, or is the model itself is a usage error.</summary>
    private static void CheckTarget(string path, string source)
    {
        CommonOptions.CheckOutputFile(path, "--out");
        var model = Directory.Exists(source) ? Path.Combine(source, ModelFile.FileName) : source;
        if (CommonOptions.RealPath(path) == CommonOptions.RealPath(model)) throw new UsageException($"--out would replace the model it exports (--out {path})");
    }

    /// <summary>Runs an atomic write; a target the process may not write is a usage error, and leaves no file behind.</summary>
    private static void Write(string path, Action write)
    {
        try
        {
            write();
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UsageException($"the output is not writable: {e.Message.TrimEnd('.')} (--out {path})");
        }
    }
}

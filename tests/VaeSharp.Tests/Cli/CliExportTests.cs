using System.Text.Json;
using VaeSharp.Models;
using VaeSharp.Tensors;
using VaeSharp.Tests.Export;

namespace VaeSharp.Tests.Cli;

/// <summary><c>vae export</c>, and the verbs that read one half of a model from a part file.</summary>
[Collection("Cli")]
public sealed class CliExportTests(CliFixture fixture)
{
    /// <summary>A fresh folder holding a copy of the reference run's model, so exports into it leave the shared run alone.</summary>
    private string CopyOfRun()
    {
        var folder = fixture.NewFolder("export");
        File.Copy(Path.Combine(fixture.TrainedRun, ModelFile.FileName), Path.Combine(folder, ModelFile.FileName));
        return folder;
    }

    private string Export(string model, string part, string format, string? outPath)
    {
        string[] args = ["export", "--model", model, "--part", part, "--format", format];
        var result = CliRunner.Run(outPath is null ? args : [.. args, "--out", outPath]);
        Assert.True(result.ExitCode == 0, result.StdErr);
        return result.StdOut.Trim();
    }

    [Theory]
    [InlineData("encoder", ModelPart.Encoder)]
    [InlineData("decoder", ModelPart.Decoder)]
    [InlineData("vae", ModelPart.Vae)]
    public void SafetensorsPartsLoadBackAsThatPart(string part, ModelPart expected)
    {
        var folder = CopyOfRun();

        var path = Export(folder, part, "safetensors", null);

        Assert.Equal(Path.Combine(folder, $"{part}.safetensors"), path);
        Assert.Equal(expected, ModelFile.Load(path).Part);
    }

    [Theory]
    [InlineData("encoder", new[] { "mu", "log_var" })]
    [InlineData("decoder", new[] { "probabilities" })]
    [InlineData("vae", new[] { "mu", "log_var", "probabilities" })]
    public void OnnxExportsLoadInOnnxRuntime(string part, string[] outputs)
    {
        var path = Path.Combine(fixture.NewFolder("onnx"), "model.onnx");

        Assert.Equal(path, Export(fixture.TrainedRun, part, "onnx", path));

        using var runner = new OnnxRunner(File.ReadAllBytes(path));
        Assert.Equal(outputs, runner.OutputNames);
        Assert.Equal(part, runner.Metadata[ModelFile.PartKey]);
        if (part != "vae") return;
        // Trained weights, not only random ones, come out the same.
        var model = ModelFile.Load(Path.Combine(fixture.TrainedRun, ModelFile.FileName));
        var (x, _) = OnnxRoundTripTests.Inputs(model.Spec, new Rng(6));
        var (mu, logVar) = model.Encode(x);
        var results = runner.Run(("x", x));
        OnnxRoundTripTests.AssertClose(mu, results["mu"]);
        OnnxRoundTripTests.AssertClose(logVar, results["log_var"]);
        OnnxRoundTripTests.AssertClose(model.Decode(mu), results["probabilities"]);
    }

    [Fact]
    public void TheFormatFollowsTheOutputsExtensionAndMayNotContradictIt()
    {
        var folder = fixture.NewFolder("format");
        var onnx = Path.Combine(folder, "decoder.onnx");

        Assert.Equal(0, CliRunner.Run("export", "--model", fixture.TrainedRun, "--part", "decoder", "--out", onnx).ExitCode);
        using (var runner = new OnnxRunner(File.ReadAllBytes(onnx))) Assert.Equal(["probabilities"], runner.OutputNames);

        var clash = CliRunner.Run("export", "--model", fixture.TrainedRun, "--part", "decoder", "--format", "safetensors", "--out", Path.Combine(folder, "other.onnx"));
        Assert.Equal(2, clash.ExitCode);
        Assert.Contains("--format safetensors would write a safetensors file named other.onnx; drop --format or change the name (--format)", Assert.Single(clash.ErrorLines));
        Assert.False(File.Exists(Path.Combine(folder, "other.onnx")));
    }

    [Fact]
    public void APartFileExportsToOnnxButNotToTheOtherHalf()
    {
        var folder = fixture.NewFolder("chain");
        var decoder = Export(fixture.TrainedRun, "decoder", "safetensors", Path.Combine(folder, "decoder.safetensors"));

        var onnx = Export(decoder, "decoder", "onnx", Path.Combine(folder, "decoder.onnx"));
        var encoder = CliRunner.Run("export", "--model", decoder, "--part", "encoder", "--out", Path.Combine(folder, "encoder.safetensors"));

        using var runner = new OnnxRunner(File.ReadAllBytes(onnx));
        Assert.Equal(["probabilities"], runner.OutputNames);
        Assert.Equal(2, encoder.ExitCode);
        var line = Assert.Single(encoder.ErrorLines);
        Assert.Contains("only the decoder", line);
        Assert.Contains("run folder", line);
        Assert.Equal(["decoder.onnx", "decoder.safetensors"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void GenerateAndManifoldDrawTheSameFromADecoderFileAlone()
    {
        var folder = fixture.NewFolder("decoder");
        var decoder = Export(fixture.TrainedRun, "decoder", "safetensors", Path.Combine(folder, "decoder.safetensors"));
        foreach (var verb in new[] { "generate", "manifold" })
        {
            string fromRun = Path.Combine(folder, $"{verb}-run.png"), fromPart = Path.Combine(folder, $"{verb}-part.png");
            Assert.Equal(0, CliRunner.Run(verb, "--model", fixture.TrainedRun, "--out", fromRun).ExitCode);
            var result = CliRunner.Run(verb, "--model", decoder, "--out", fromPart);
            Assert.True(result.ExitCode == 0, result.StdErr);
            Assert.Equal(File.ReadAllBytes(fromRun), File.ReadAllBytes(fromPart));
        }
    }

    [Fact]
    public void LatentAndEvalReadAnEncoderFileAlone()
    {
        var folder = fixture.NewFolder("encoder");
        var encoder = Export(fixture.TrainedRun, "encoder", "safetensors", Path.Combine(folder, "encoder.safetensors"));
        string fromRun = Path.Combine(folder, "run.png"), fromPart = Path.Combine(folder, "part.png");
        Assert.Equal(0, CliRunner.Run("latent", "--model", fixture.TrainedRun, "--data-dir", fixture.DataDir, "--out", fromRun).ExitCode);

        var latent = CliRunner.Run("latent", "--model", encoder, "--data-dir", fixture.DataDir, "--out", fromPart);
        var eval = CliRunner.Run("eval", "--model", encoder, "--data-dir", fixture.DataDir, "--json");

        Assert.True(latent.ExitCode == 0, latent.StdErr);
        Assert.Equal(File.ReadAllBytes(fromRun), File.ReadAllBytes(fromPart));
        Assert.True(eval.ExitCode == 0, eval.StdErr);
        var report = JsonDocument.Parse(eval.StdOut).RootElement;
        Assert.Equal(["latent_knn_accuracy"], report.EnumerateObject().Select(p => p.Name));
        Assert.InRange(report.GetProperty("latent_knn_accuracy").GetDouble(), 0, 1);
        Assert.Equal(["encoder.safetensors", "part.png", "run.png"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());

        var bound = CliRunner.Run("eval", "--model", encoder, "--data-dir", fixture.DataDir, "--iw-samples", "50");
        Assert.Equal(2, bound.ExitCode);
        Assert.EndsWith("the bound needs the decoder too (--iw-samples)", Assert.Single(bound.ErrorLines));
    }

    [Theory]
    [InlineData("decoder", "latent")]
    [InlineData("decoder", "eval")]
    [InlineData("encoder", "generate")]
    [InlineData("encoder", "manifold")]
    public void AWrongPartIsOneUsageErrorNamingModel(string part, string verb)
    {
        var folder = fixture.NewFolder("wrong");
        var file = Export(fixture.TrainedRun, part, "safetensors", Path.Combine(folder, $"{part}.safetensors"));

        string[] extra = verb switch
        {
            "eval" => ["--data-dir", fixture.DataDir],
            "latent" => ["--data-dir", fixture.DataDir, "--out", Path.Combine(folder, "x.png")],
            _ => ["--out", Path.Combine(folder, "x.png")],
        };

        var result = CliRunner.Run([verb, "--model", file, .. extra]);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("vae: error: ", line);
        Assert.Contains($"only the {part}", line);
        Assert.EndsWith("(--model)", line);
        Assert.Equal([$"{part}.safetensors"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    public static TheoryData<string> PresetNames => [.. Preset.All.Select(preset => preset.Name)];

    [Theory]
    [MemberData(nameof(PresetNames))]
    public void EveryPresetGeneratesFromItsDecoderFileAndPlotsFromItsEncoderFile(string preset)
    {
        var folder = fixture.NewFolder(preset);
        ModelFile.Save(new VaeModel(Preset.Find(preset)!.Spec, new Rng(2)), Path.Combine(folder, ModelFile.FileName));
        var decoder = Export(folder, "decoder", "safetensors", null);
        var encoder = Export(folder, "encoder", "safetensors", null);

        var generate = CliRunner.Run("generate", "--model", decoder, "--count", "4", "--out", Path.Combine(folder, "g.png"));
        var latent = CliRunner.Run("latent", "--model", encoder, "--max", "20", "--data-dir", fixture.DataDir, "--out", Path.Combine(folder, "l.png"));

        Assert.True(latent.ExitCode == 0, latent.StdErr);
        if (Preset.Find(preset)!.Spec.Conditional)
        {
            // Its z comes from the learned prior, which is the encoder: the decoder alone cannot draw one.
            Assert.Equal(2, generate.ExitCode);
            Assert.Contains("whole model", Assert.Single(generate.ErrorLines));
            return;
        }
        Assert.True(generate.ExitCode == 0, generate.StdErr);
        Assert.True(File.Exists(Path.Combine(folder, "g.png")));
    }

    [Fact]
    public void APartFileNeedsOutAndAFolderVerbRefusesIt()
    {
        var folder = fixture.NewFolder("needsout");
        var file = Export(fixture.TrainedRun, "decoder", "safetensors", Path.Combine(folder, "decoder.safetensors"));

        var generate = CliRunner.Run("generate", "--model", file);
        var reconstruct = CliRunner.Run("reconstruct", "--model", file, "--data-dir", fixture.DataDir);

        Assert.Equal(2, generate.ExitCode);
        Assert.EndsWith("(--out)", Assert.Single(generate.ErrorLines));
        Assert.Equal(2, reconstruct.ExitCode);
        Assert.Contains("run folder", Assert.Single(reconstruct.ErrorLines));
        Assert.Single(Directory.GetFiles(folder));
    }

    [Fact]
    public void AnOnnxExportGivenAsModelIsAUsageErrorNotAHeaderError()
    {
        var folder = fixture.NewFolder("onnx-as-model");
        var onnx = Export(fixture.TrainedRun, "decoder", "onnx", Path.Combine(folder, "decoder.onnx"));

        var result = CliRunner.Run("generate", "--model", onnx, "--out", Path.Combine(folder, "g.png"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"vae: error: {onnx} is an ONNX export, which vae does not read back; give the run folder or a safetensors part (--model)", Assert.Single(result.ErrorLines));
    }

    [Theory]
    [InlineData("missing/model.onnx")]
    [InlineData("sub/")]
    [InlineData("sub")]
    public void ABadTargetIsOneErrorAndLeavesNoFile(string target)
    {
        var folder = fixture.NewFolder("target");
        Directory.CreateDirectory(Path.Combine(folder, "sub"));

        var result = CliRunner.Run("export", "--model", fixture.TrainedRun, "--part", "decoder", "--format", "onnx", "--out", Path.Combine(folder, target));

        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith(")", Assert.Single(result.ErrorLines));
        Assert.Contains("--out", result.StdErr);
        Assert.Empty(Directory.GetFiles(folder, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void AWholeConditionalModelHasNoOnnxGraphAndSaysWhy()
    {
        var folder = fixture.NewFolder("vaeac");
        ModelFile.Save(new VaeModel(Preset.ImputeVaeac.Spec, new Rng(1)), Path.Combine(folder, ModelFile.FileName));

        var refused = CliRunner.Run("export", "--model", folder, "--part", "vae", "--format", "onnx");
        var decoder = CliRunner.Run("export", "--model", folder, "--part", "decoder", "--format", "onnx");

        Assert.Equal(2, refused.ExitCode);
        var line = Assert.Single(refused.ErrorLines);
        Assert.Contains("conditional", line);
        Assert.EndsWith("(--format)", line);
        Assert.True(decoder.ExitCode == 0, decoder.StdErr);
        var files = Directory.GetFiles(folder).Select(Path.GetFileName).Where(name => !name!.StartsWith('.'));
        Assert.Equal(["decoder.onnx", ModelFile.FileName], files.Order());
    }

    [Theory]
    [InlineData("--part", "head")]
    [InlineData("--format", "pt")]
    public void AnUnknownPartOrFormatIsAUsageError(string option, string value)
    {
        string[] args = ["export", "--model", fixture.TrainedRun, "--part", "decoder", "--format", "onnx"];
        args[Array.IndexOf(args, option) + 1] = value;

        var result = CliRunner.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith($"({option})", Assert.Single(result.ErrorLines));
    }
}

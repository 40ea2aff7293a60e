using VaeSharp.Export;
using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Export;

/// <summary>Every preset's exported encoder and decoder, run by ONNX Runtime, give the engine's outputs within 1e-5.</summary>
public sealed class OnnxRoundTripTests
{
    private const float Tolerance = 1e-5f;
    private const int Batch = 5;

    public static TheoryData<string> PresetNames => [.. Preset.All.Select(preset => preset.Name)];

    [Theory]
    [MemberData(nameof(PresetNames))]
    public void EncoderMatchesTheEngine(string preset)
    {
        var model = new VaeModel(Preset.Find(preset)!.Spec, new Rng(7));
        var (x, mask) = Inputs(model.Spec, new Rng(8));
        var (mu, logVar) = model.Encode(x, mask);

        using var runner = new OnnxRunner(OnnxExport.ToBytes(model, ModelPart.Encoder));
        var outputs = runner.Run(EncoderInputs(x, mask));

        Assert.Equal(["mu", "log_var"], runner.OutputNames);
        AssertClose(mu, outputs["mu"]);
        AssertClose(logVar, outputs["log_var"]);
    }

    [Theory]
    [MemberData(nameof(PresetNames))]
    public void DecoderMatchesTheEngine(string preset)
    {
        var model = new VaeModel(Preset.Find(preset)!.Spec, new Rng(7));
        var rng = new Rng(9);
        var z = new Tensor(new Shape(Batch, model.LatentSize));
        rng.FillGaussian(z.Span);
        using var runner = new OnnxRunner(OnnxExport.ToBytes(model, ModelPart.Decoder));

        if (!model.Spec.Conditional)
        {
            Assert.Equal(["z"], runner.InputNames);
            AssertClose(model.Decode(z), runner.Run(("z", z))["probabilities"]);
            return;
        }
        var (x, mask) = Inputs(model.Spec, rng);
        Assert.Equal(["z", "x", "mask"], runner.InputNames);
        AssertClose(model.Decode(z, x, mask), runner.Run(("z", z), ("x", x), ("mask", mask!))["probabilities"]);
    }

    [Theory]
    [MemberData(nameof(PresetNames))]
    public void WholeModelDecodesItsMeans(string preset)
    {
        var model = new VaeModel(Preset.Find(preset)!.Spec, new Rng(7));
        if (model.Spec.Conditional)
        {
            var error = Assert.Throws<OnnxExportException>(() => OnnxExport.ToBytes(model, ModelPart.Vae));
            Assert.Contains("conditional", error.Message);
            return;
        }
        var (x, mask) = Inputs(model.Spec, new Rng(8));
        var (mu, logVar) = model.Encode(x, mask);

        using var runner = new OnnxRunner(OnnxExport.ToBytes(model, ModelPart.Vae));
        var outputs = runner.Run(EncoderInputs(x, mask));

        AssertClose(mu, outputs["mu"]);
        AssertClose(logVar, outputs["log_var"]);
        AssertClose(model.Decode(mu), outputs["probabilities"]);
    }

    [Fact]
    public void AGaussianDecoderTakesTheSoftmaxOfEachCategoricalBlock()
    {
        // Columns 0-1 numeric, 2-4 one category, 5 numeric, 6-9 another category: the table imputer's layout.
        var spec = VaeSharp.Imputation.VaeImputer.SpecFor(10, [(2, 3), (6, 4)]);
        var model = new VaeModel(spec, new Rng(7));
        var z = new Tensor(new Shape(Batch, model.LatentSize));
        new Rng(9).FillGaussian(z.Span);
        var engine = model.Decode(z);

        using var runner = new OnnxRunner(OnnxExport.ToBytes(model, ModelPart.Decoder));
        var mean = runner.Run(("z", z))["mean"];

        AssertClose(engine, mean);
        for (int row = 0; row < Batch; row++)
            Assert.Equal(1f, engine.Span.Slice(row * 10 + 6, 4).ToArray().Sum(), 5); // a block is a distribution
        var (x, mask) = Inputs(spec, new Rng(8));
        var (mu, _) = model.Encode(x, mask);
        using var whole = new OnnxRunner(OnnxExport.ToBytes(model, ModelPart.Vae));
        AssertClose(model.Decode(mu), whole.Run(EncoderInputs(x, mask))["mean"]);
    }

    [Fact]
    public void MetadataHoldsTheSpecAndThePart()
    {
        var model = new VaeModel(Preset.KerasMlp.Spec, new Rng(1));

        using var runner = new OnnxRunner(OnnxExport.ToBytes(model, ModelPart.Decoder));

        Assert.Equal("decoder", runner.Metadata[ModelFile.PartKey]);
        Assert.Equal(model.Spec.ToJson(), ModelSpec.FromJson(runner.Metadata[ModelFile.SpecKey], "metadata").ToJson());
    }

    /// <summary>Random inputs in [0, 1) and, for a masked model, a mask that hides about a third of the entries, with NaN under some of them.</summary>
    internal static (Tensor X, Tensor? Mask) Inputs(ModelSpec spec, Rng rng)
    {
        var x = new Tensor(new Shape(Batch, spec.InputSize));
        for (int i = 0; i < x.Size; i++) x.Span[i] = (float)rng.NextDouble();
        if (!spec.Masked) return (x, null);
        var mask = new Tensor(x.Shape);
        for (int i = 0; i < mask.Size; i++) mask.Span[i] = rng.NextDouble() < 1.0 / 3 ? 0f : 1f;
        for (int i = 0; i < x.Size; i += 7) if (mask.Span[i] == 0f) x.Span[i] = float.NaN;
        return (x, mask);
    }

    private static (string, Tensor)[] EncoderInputs(Tensor x, Tensor? mask) => mask is null ? [("x", x)] : [("x", x), ("mask", mask)];

    internal static void AssertClose(Tensor expected, float[] actual)
    {
        Assert.Equal(expected.Size, actual.Length);
        var span = expected.Span;
        float worst = 0f;
        for (int i = 0; i < actual.Length; i++) worst = Math.Max(worst, Math.Abs(span[i] - actual[i]));
        Assert.True(worst <= Tolerance, $"largest difference {worst} exceeds {Tolerance}");
    }
}

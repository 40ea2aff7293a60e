using VaeSharp.Data;
using VaeSharp.Evaluation;
using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Evaluation;

public class EvaluationRowsTests
{
    [Theory]
    [InlineData("conv")]
    [InlineData("impute-vaeac")]
    public void AConvModelEvaluatesFewerRowsSoNoLayerOutputPassesTheCap(string preset)
    {
        var model = new VaeModel(Preset.Find(preset)!.Spec, new Rng(1));
        int widest = model.Summary().Max(layer => layer.OutputShape.Size);
        int rows = EvaluationRows.For(model, 1000);
        Assert.InRange(rows, 1, 999);
        Assert.True((long)rows * widest <= EvaluationRows.LayerOutputFloats, $"{rows} rows × {widest} floats");
        Assert.True((long)(rows + 1) * widest > EvaluationRows.LayerOutputFloats, "the cap should be used in full");
    }

    [Fact]
    public void TheElboRunsInPassesOfTheCappedSize()
    {
        var model = new VaeModel(Preset.Find("conv")!.Spec, new Rng(1));
        int rows = EvaluationRows.For(model, 1000);
        var rng = new Rng(3);
        var pixels = new byte[(rows + 20) * 784]; // more than one capped pass, fewer than 1000
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)rng.NextInt(256);
        var data = new Dataset(pixels, null, rows + 20, 28, 28, "random");
        // Each pass averages its loss in float before the sum in double, so only the same passes give the same bits.
        var asked = ElboResult.Evaluate(model, data, 1000, new Rng(5));
        var capped = ElboResult.Evaluate(model, data, rows, new Rng(5));
        Assert.Equal(capped, asked);
    }

    [Fact]
    public void AnMlpEvaluatesTheBatchAskedFor()
    {
        var model = new VaeModel(Preset.Find("keras-mlp")!.Spec, new Rng(1));
        Assert.Equal(1000, EvaluationRows.For(model, 1000));
        Assert.Equal(7, EvaluationRows.For(model, 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => EvaluationRows.For(model, 0));
    }
}

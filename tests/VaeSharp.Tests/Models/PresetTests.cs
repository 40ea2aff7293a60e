using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Models;

public class PresetTests
{
    [Theory]
    [InlineData("keras-mlp", 807_700)]
    [InlineData("kingma-mlp", 1_316_824)]
    [InlineData("pytorch-mlp", 652_824)]
    [InlineData("conv", 550_629)]
    [InlineData("impute-mlp", 1_104_590)]
    [InlineData("impute-vaeac", 2_661_289)]
    public void ParameterCountsMatchTheReferenceNetworks(string name, int parameters)
    {
        var preset = Preset.Find(name)!;
        Assert.Equal(parameters, new VaeModel(preset.Spec, new Rng(1)).Parameters.Count);
    }

    [Fact]
    public void ImputeMlpReadsValuesAndMaskAndMirrorsBackTo784()
    {
        var model = new VaeModel(Preset.ImputeMlp.Spec, new Rng(1));
        var shapes = model.Parameters.Entries.Where(entry => entry.Name.EndsWith(".weight")).Select(entry => (entry.Name, entry.Parameter.Shape.ToString()));
        Assert.Equal(
            [("encoder.dense1.weight", "(1568, 400)"), ("encoder.dense2.weight", "(400, 200)"), ("encoder.mu.weight", "(200, 3)"),
             ("encoder.log_var.weight", "(200, 3)"), ("decoder.dense1.weight", "(3, 200)"), ("decoder.dense2.weight", "(200, 400)"),
             ("decoder.output.weight", "(400, 784)")],
            shapes);
        Assert.Equal((1e-2f, 500, 50), (Preset.ImputeMlp.LearningRate, Preset.ImputeMlp.BatchSize, Preset.ImputeMlp.Epochs));
    }

    [Fact]
    public void ImputeVaeacDecodesFromZAndTheObservedImage()
    {
        var model = new VaeModel(Preset.ImputeVaeac.Spec, new Rng(1));
        var shapes = model.Parameters.Entries.Where(entry => entry.Name.StartsWith("decoder.") && entry.Name.EndsWith(".weight"))
            .Select(entry => (entry.Name, entry.Parameter.Shape.ToString()));
        Assert.Equal(
            [("decoder.dense1.weight", "(1588, 200)"), ("decoder.dense2.weight", "(200, 400)"), ("decoder.output.weight", "(400, 784)"),
             ("decoder.observed.weight", "(1568, 784)"), ("decoder.local1.weight", "(3, 3, 2, 16)"),
             ("decoder.local2.weight", "(3, 3, 16, 16)"), ("decoder.local3.weight", "(3, 3, 16, 1)")],
            shapes);
        Assert.Equal((1e-3f, 128, 10), (Preset.ImputeVaeac.LearningRate, Preset.ImputeVaeac.BatchSize, Preset.ImputeVaeac.Epochs));
    }

    [Fact]
    public void KerasMlpHasTheKerasExampleDefaults()
    {
        var preset = Preset.KerasMlp;
        Assert.Equal([512], preset.Spec.Hidden);
        Assert.Equal(2, preset.Spec.Latent);
        Assert.Equal(ReconstructionLoss.Bce, preset.Spec.Loss);
        Assert.Equal((1e-3f, 128), (preset.LearningRate, preset.BatchSize));
    }

    [Fact]
    public void ParameterNamesAreDottedPathsInDeclarationOrder()
    {
        var model = new VaeModel(Preset.KerasMlp.Spec, new Rng(1));
        Assert.Equal(
            ["encoder.dense1.weight", "encoder.dense1.bias", "encoder.mu.weight", "encoder.mu.bias",
             "encoder.log_var.weight", "encoder.log_var.bias", "decoder.dense1.weight", "decoder.dense1.bias",
             "decoder.output.weight", "decoder.output.bias"],
            model.Parameters.Entries.Select(entry => entry.Name));
    }
}

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
    public void ParameterCountsMatchTheReferenceNetworks(string name, int parameters)
    {
        var preset = Preset.Find(name)!;
        Assert.Equal(parameters, new VaeModel(preset.Spec, new Rng(1)).Parameters.Count);
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

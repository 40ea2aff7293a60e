using System.Text;
using VaeSharp.IO;
using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Fuzz;

/// <summary>
/// ModelSpec JSON and whole model files under random damage. A spec ends in a spec or a
/// <see cref="ModelSpecException"/>; a model file in a model, a <see cref="SafetensorsFormatException"/> (the container
/// or the weights are wrong) or a <see cref="ModelSpecException"/> (the stored architecture is wrong).
/// </summary>
[Trait("Category", "Fuzz")]
public class ModelFuzzTests
{
    private const string JsonAlphabet = "{}[],:\"0123456789-. eEnulltrue";

    /// <summary>A small custom stack, so that validation (which builds the layers) stays fast.</summary>
    private const string ConvSpec = """
        {"name": "tiny-conv", "input_shape": [8, 8], "latent": 2,
         "encoder": [{"type": "conv2d", "filters": 2, "kernel": 3, "stride": 2, "activation": "relu"}, {"type": "flatten"}, {"type": "dense", "units": 4}],
         "decoder": [{"type": "dense", "units": 32, "activation": "relu"}, {"type": "reshape", "shape": [4, 4, 2]},
                     {"type": "conv_transpose2d", "filters": 1, "kernel": 3, "stride": 2}]}
        """;

    private const string MlpSpec = """
        {"name": "tiny-mlp", "input_shape": [4, 4], "hidden": [6, 3], "latent": 2, "activation": "softplus",
         "init": "he", "loss": "mse", "kl_weight": 0.5}
        """;

    [Fact]
    public void ConvSpecsParseOrFailWithAModelSpecError() =>
        AssertBothOutcomes(FuzzRunner.Run("model spec (conv)", Encoding.UTF8.GetBytes(ConvSpec), 21, JsonAlphabet, ParseSpec, typeof(ModelSpecException)));

    [Fact]
    public void MlpSpecsParseOrFailWithAModelSpecError() =>
        AssertBothOutcomes(FuzzRunner.Run("model spec (mlp)", Encoding.UTF8.GetBytes(MlpSpec), 22, JsonAlphabet, ParseSpec, typeof(ModelSpecException)));

    [Fact]
    public void ModelFilesLoadOrFailWithAFormatOrSpecError()
    {
        var model = new VaeModel(ModelSpec.FromJson(MlpSpec, "test"), new Rng(5));
        var path = Path.GetTempFileName();
        try
        {
            ModelFile.Save(model, path);
            AssertBothOutcomes(FuzzRunner.Run("model file", File.ReadAllBytes(path), 23, JsonAlphabet + "FU",
                bytes => ModelFile.Load(SafetensorsReader.Read(new MemoryStream(bytes), "fuzz.safetensors"), "fuzz.safetensors"),
                typeof(SafetensorsFormatException), typeof(ModelSpecException)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("""{"input_shape": [2147483647, 2147483647, 2147483647, 2147483647]}""", "input_shape")]
    [InlineData("""{"input_shape": [28, 28], "hidden": [65536, 65536, 65536]}""", "hidden")]
    [InlineData("""{"encoder": [null], "decoder": [null]}""", "encoder")]
    [InlineData("""{"input_shape": [8, 8], "encoder": [{"type": "dense", "units": 2147483647}], "decoder": [{"type": "dense", "units": 64}]}""", "encoder[0]")]
    public void OversizedOrNullSpecsFailBeforeAllocating(string json, string field)
    {
        var error = Assert.Throws<ModelSpecException>(() => ModelSpec.FromJson(json, "test"));
        Assert.Contains(field, error.Message);
    }

    private static void ParseSpec(byte[] bytes) => ModelSpec.FromJson(Encoding.UTF8.GetString(bytes), "fuzz.json");

    private static void AssertBothOutcomes((int Accepted, int Rejected) counts) =>
        Assert.True(counts.Accepted > 0 && counts.Rejected > 0, $"accepted {counts.Accepted}, rejected {counts.Rejected}");
}

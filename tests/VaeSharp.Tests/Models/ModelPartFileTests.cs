using VaeSharp.IO;
using VaeSharp.Models;
using VaeSharp.Tensors;
using VaeSharp.Tests.Data;

namespace VaeSharp.Tests.Models;

/// <summary>Encoder and decoder part files: each holds its half's weights and the spec, and loads back to the same outputs.</summary>
public sealed class ModelPartFileTests
{
    public static TheoryData<string> PresetNames => [.. Preset.All.Select(preset => preset.Name)];

    [Theory]
    [MemberData(nameof(PresetNames))]
    public void PartsRoundTripToTheSameOutputs(string preset)
    {
        using var folder = new TempDirectory();
        var model = new VaeModel(Preset.Find(preset)!.Spec, new Rng(11));
        var x = new Tensor(new Shape(3, model.InputSize));
        for (int i = 0; i < x.Size; i++) x.Span[i] = (i % 13) / 13f;
        var z = new Tensor(new Shape(3, model.LatentSize));
        new Rng(12).FillGaussian(z.Span);

        ModelFile.SaveEncoder(model, folder.File("encoder.safetensors"));
        ModelFile.SaveDecoder(model, folder.File("decoder.safetensors"));
        var encoder = ModelFile.LoadEncoder(folder.File("encoder.safetensors"));
        var decoder = ModelFile.LoadDecoder(folder.File("decoder.safetensors"));

        Assert.Equal((ModelPart.Encoder, ModelPart.Decoder), (encoder.Part, decoder.Part));
        Assert.Equal(model.Spec.ToJson(), decoder.Spec.ToJson());
        Assert.Equal(model.Encode(x).Mu.ToArray(), encoder.Encode(x).Mu.ToArray());
        Assert.Equal(model.Encode(x).LogVar.ToArray(), encoder.Encode(x).LogVar.ToArray());
        Assert.Equal(model.Decode(z).ToArray(), decoder.Decode(z).ToArray());
    }

    [Fact]
    public void APartFileHoldsOnlyItsHalfUnderTheWholeModelsNames()
    {
        using var folder = new TempDirectory();
        var model = new VaeModel(Preset.Conv.Spec, new Rng(1));

        ModelFile.SaveEncoder(model, folder.File("encoder.safetensors"));
        var file = SafetensorsReader.Read(folder.File("encoder.safetensors"));

        Assert.Equal("encoder", file.Metadata[ModelFile.PartKey]);
        Assert.Equal(model.Parameters.Entries.Select(e => e.Name).Where(name => name.StartsWith("encoder.")), file.Tensors.Select(t => t.Name));
        Assert.Contains("encoder.dense1.weight", file.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void TheOtherHalfCannotBeRunLoadedOrSaved()
    {
        using var folder = new TempDirectory();
        var model = new VaeModel(Preset.KerasMlp.Spec, new Rng(1));
        ModelFile.SaveDecoder(model, folder.File("decoder.safetensors"));
        var decoder = ModelFile.Load(folder.File("decoder.safetensors"));

        var load = Assert.Throws<ModelPartException>(() => ModelFile.LoadEncoder(folder.File("decoder.safetensors")));
        Assert.Contains("only the decoder", load.Message);
        Assert.Throws<ModelPartException>(() => decoder.Transform(new Tensor(new Shape(1, 784))));
        Assert.Throws<ModelPartException>(() => ModelFile.Save(decoder, folder.File("whole.safetensors")));
        Assert.Throws<ModelPartException>(() => ModelFile.SaveEncoder(decoder, folder.File("encoder.safetensors")));
        Assert.Equal(["decoder.safetensors"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void AnUnknownPartNameIsAFormatError()
    {
        using var folder = new TempDirectory();
        var model = new VaeModel(Preset.KerasMlp.Spec, new Rng(1));
        var tensors = model.Parameters.Entries.Select(e => (e.Name, e.Parameter.Value)).ToList();
        var metadata = new Dictionary<string, string> { [ModelFile.SpecKey] = model.Spec.ToJson(), [ModelFile.PartKey] = "head" };
        AtomicFile.Write(folder.File("odd.safetensors"), stream => SafetensorsWriter.Write(stream, tensors, metadata));

        var error = Assert.Throws<SafetensorsFormatException>(() => ModelFile.Load(folder.File("odd.safetensors")));
        Assert.Contains("head", error.Message);
    }
}

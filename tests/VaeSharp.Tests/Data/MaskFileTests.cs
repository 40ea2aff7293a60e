using VaeSharp.Data;
using VaeSharp.IO;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Data;

public class MaskFileTests
{
    [Fact]
    public void WrittenMasksReadBackByteForByte()
    {
        using var folder = new TempDirectory();
        var (train, test) = Masks.CreateSplits(MaskKind.Line, 0.3, 6, 4, 28, 28, seed: 2);
        var path = folder.File("masks.safetensors");
        MaskFile.Write(path, [(MaskKind.Line, 0.3, "train", train), (MaskKind.Line, 0.3, "test", test)], 28, 28, seed: 2);
        Assert.Equal(train, MaskFile.Read(path, MaskKind.Line, 0.3, "train", 6, 28, 28));
        Assert.Equal(test, MaskFile.Read(path, MaskKind.Line, 0.3, "test", 2, 28, 28));
        Assert.Equal("line/0.3/test", MaskFile.TensorName(MaskKind.Line, 0.3, "test"));
    }

    [Fact]
    public void ErrorsNameTheFileAndWhatIsWrong()
    {
        using var folder = new TempDirectory();
        var path = folder.File("masks.safetensors");
        var (train, _) = Masks.CreateSplits(MaskKind.Pixel, 0.5, 3, 0, 28, 28, seed: 1);
        MaskFile.Write(path, [(MaskKind.Pixel, 0.5, "train", train)], 28, 28, seed: 1);

        string Problem(Action read) => Assert.Throws<DataFormatException>(read).Message;
        Assert.Contains("no tensor pixel/0.5/test", Problem(() => MaskFile.Read(path, MaskKind.Pixel, 0.5, "test", 1, 28, 28)));
        Assert.Contains("holds 3 masks, 5 are needed", Problem(() => MaskFile.Read(path, MaskKind.Pixel, 0.5, "train", 5, 28, 28)));
        Assert.Contains("not (count, 14, 14)", Problem(() => MaskFile.Read(path, MaskKind.Pixel, 0.5, "train", 1, 14, 14)));
        Assert.EndsWith($"({path})", Problem(() => MaskFile.Read(path, MaskKind.Pixel, 0.5, "test", 1, 28, 28)));

        var notMasks = folder.File("weights.safetensors");
        using (var stream = File.Create(notMasks))
            SafetensorsWriter.Write(stream, [("pixel/0.5/train", new Tensor(new Shape(1, 28, 28), Enumerable.Repeat(0.5f, 784).ToArray()))], new Dictionary<string, string>());
        Assert.Contains("masks are 1 (observed) or 0 (missing)", Problem(() => MaskFile.Read(notMasks, MaskKind.Pixel, 0.5, "train", 1, 28, 28)));

        var model = folder.File("model.safetensors");
        VaeSharp.Models.ModelFile.Save(new VaeSharp.Models.VaeModel(VaeSharp.Models.Preset.ImputeMlp.Spec, new Rng(1)), model);
        Assert.Contains("this is a model's weights, not a mask file", Problem(() => MaskFile.Read(model, MaskKind.Pixel, 0.5, "train", 1, 28, 28)));

        File.WriteAllText(folder.File("garbage.safetensors"), "not a safetensors file");
        Assert.Contains("cannot read masks", Problem(() => MaskFile.Read(folder.File("garbage.safetensors"), MaskKind.Pixel, 0.5, "train", 1, 28, 28)));
    }
}

using VaeSharp.Data;
using VaeSharp.Imputation;
using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Imputation;

public class ImputationBenchmarkTests
{
    private static Dataset Digits(int count, ulong seed)
    {
        var pixels = new byte[count * 784];
        var rng = new Rng(seed);
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)rng.NextInt(256);
        return new Dataset(pixels, [.. Enumerable.Range(0, count).Select(i => (byte)(i % 10))], count, 28, 28, "random.idx");
    }

    [Fact]
    public void EachMethodIsAnnouncedBeforeItRunsAndScoredInThatOrder()
    {
        var model = new VaeModel(Preset.ImputeMlp.Spec, new Rng(1));
        var announced = new List<string>();

        var results = ImputationBenchmark.Run(model, Digits(40, 2), Digits(10, 3), MaskKind.Pixel, 0.5, referenceCount: 40, testCount: 10, seed: 4,
            methods: ["vae", "mean", "knn"], progress: new InlineProgress<string>(announced.Add));

        Assert.Equal(["vae", "mean", "knn"], announced);
        Assert.Equal(announced, results.Select(result => result.Method));
        Assert.All(results, result => Assert.True(double.IsFinite(result.Rmse)));
    }
}

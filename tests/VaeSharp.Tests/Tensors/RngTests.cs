using VaeSharp.Tensors;

namespace VaeSharp.Tests.Tensors;

public class RngTests
{
    [Fact]
    public void SameSeedSameStreamAndStateRestores()
    {
        var a = new Rng(9);
        var b = new Rng(9);
        Assert.Equal(a.NextUInt64(), b.NextUInt64());
        var restored = Rng.FromState(a.GetState());
        Assert.Equal(a.NextUInt64(), restored.NextUInt64());
    }

    [Fact]
    public void GaussianDrawsHaveUnitMoments()
    {
        var draws = new float[200_001];
        new Rng(1).FillGaussian(draws);
        double mean = draws.Average(v => (double)v);
        double variance = draws.Average(v => (v - mean) * (v - mean));
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(variance, 0.98, 1.02);
    }

    [Fact]
    public void ShuffleIsAPermutation()
    {
        var items = Enumerable.Range(0, 100).ToArray();
        new Rng(2).Shuffle(items.AsSpan());
        Assert.NotEqual(Enumerable.Range(0, 100), items);
        Assert.Equal(Enumerable.Range(0, 100), items.Order());
    }
}

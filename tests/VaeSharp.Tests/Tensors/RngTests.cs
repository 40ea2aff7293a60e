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
    public void FillUniformGivesTheNextDoubleStreamAndLeavesTheStateAfterIt()
    {
        var one = new Rng(5);
        var bulk = new Rng(5);
        var draws = new double[1001];

        bulk.FillUniform(draws);

        foreach (double draw in draws) Assert.Equal(one.NextDouble(), draw);
        // All four state words carry on: a word left behind shows only a few draws later.
        for (int i = 0; i < 8; i++) Assert.Equal(one.NextUInt64(), bulk.NextUInt64());
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
    public void GaussianDrawsPassAKolmogorovSmirnovTestAgainstTheNormal()
    {
        // Moments alone pass a uniform scaled to unit variance; the whole distribution must match Φ.
        var draws = new float[100_000];
        new Rng(3).FillGaussian(draws);
        Array.Sort(draws);
        double distance = 0;
        for (int i = 0; i < draws.Length; i++)
        {
            double cdf = NormalCdf(draws[i]);
            distance = Math.Max(distance, Math.Max((i + 1.0) / draws.Length - cdf, cdf - (double)i / draws.Length));
        }
        // 1.95/√n is the critical value at significance 0.001.
        Assert.True(distance < 1.95 / Math.Sqrt(draws.Length), $"KS distance {distance}");
        Assert.InRange(draws[0], -6f, -3.5f); // both tails are reached, and not absurdly far
        Assert.InRange(draws[^1], 3.5f, 6f);
    }

    /// <summary>Φ(x) from erfc by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7, far under the test's bound).</summary>
    private static double NormalCdf(double x)
    {
        double u = Math.Abs(x) / Math.Sqrt(2), t = 1 / (1 + 0.3275911 * u);
        double erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.Exp(-u * u);
        return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
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

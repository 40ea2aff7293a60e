using VaeSharp.Serve;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Serve;

/// <summary>The map's basis: identity below latent 3, PCA from 3, and decoding a map position lands back on it.</summary>
public class LatentMapTests
{
    private static Tensor Points(int count, int latent, ulong seed)
    {
        var rng = new Rng(seed);
        var points = new Tensor(new Shape(count, latent));
        rng.FillGaussian(points.Span);
        for (int i = 0; i < count; i++) points.Row(i)[0] *= 5f; // one long axis, so the first component is clear
        return points;
    }

    [Fact]
    public void LatentOneIsItsOwnAxisWithYZero()
    {
        var map = LatentMap.Create(Tensor.FromArray([1.5f, -2f], 2, 1), [3, 4]);
        Assert.Equal("identity", map.Projection);
        Assert.Equal([1.5f, 0f, -2f, 0f], map.Points);
        Assert.Single(map.Components);
    }

    [Fact]
    public void LatentTwoIsTheIdentity()
    {
        var means = Points(10, 2, 1);
        var map = LatentMap.Create(means, null);
        Assert.Equal("identity", map.Projection);
        Assert.Equal(means.Span.ToArray(), map.Points);
        Assert.Null(map.Labels);
    }

    [Fact]
    public void FromLatentThreeTheAxesArePrincipalComponentsAndAMapPositionDecodesBackToIt()
    {
        var means = Points(200, 6, 2);
        var map = LatentMap.Create(means, null);
        Assert.Equal("pca", map.Projection);
        Assert.Equal(6, map.Components.Count);
        Assert.True(Math.Abs(map.Components[0][0]) > 0.95f, "the first component should follow the long axis");
        Assert.True(map.Scales[0] > 3 * map.Scales[1]);
        // z = mean + x·c0 + y·c1 + s·c2 projects to (x, y) whatever the slider value s.
        var z = new float[6];
        for (int d = 0; d < 6; d++) z[d] = map.Mean[d] + 1.25f * map.Components[0][d] - 0.5f * map.Components[1][d] + 2f * map.Components[2][d];
        var point = new float[2];
        map.Project(z, point);
        Assert.Equal(1.25f, point[0], 1e-4f);
        Assert.Equal(-0.5f, point[1], 1e-4f);
    }

    [Fact]
    public void TheIdentityWithoutPointsOffersSlidersForTheOtherDimensions()
    {
        var map = LatentMap.Identity(20);
        Assert.Equal(0, map.Count);
        Assert.Equal(2 + LatentMap.MaxSliders, map.Components.Count);
        Assert.All(map.Scales, scale => Assert.Equal(1f, scale));
    }
}

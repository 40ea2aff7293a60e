using VaeSharp.Plotting;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Plotting;

public class PcaTests
{
    [Fact]
    public void FindsTheKnownDirectionsOfAnElongatedCloud()
    {
        // Points t·a + s·b + (1, 2, 3) with a = (0.6, 0.8, 0), b = (0, 0, 1): variance 4 along a, 0.25 along b, 0 along a×b.
        var rng = new Rng(5);
        const int count = 4000;
        var points = new Tensor(new Shape(count, 3));
        var noise = new float[2 * count];
        rng.FillGaussian(noise);
        for (int i = 0; i < count; i++)
        {
            float t = 2f * noise[2 * i], s = 0.5f * noise[2 * i + 1];
            points.Row(i)[0] = 1 + 0.6f * t;
            points.Row(i)[1] = 2 + 0.8f * t;
            points.Row(i)[2] = 3 + s;
        }

        var pca = Pca.Fit(points, 2);

        // Sampling noise tilts the estimates by about 1/sqrt(count).
        Assert.Equal([0.6, 0.8, 0.0], pca.Components[0].Select(v => Math.Round(v, 1)));
        Assert.Equal([0.0, 0.0, 1.0], pca.Components[1].Select(v => Math.Round(v, 1)));
        Assert.Equal(0, pca.Components[0].Zip(pca.Components[1], (a, b) => a * b).Sum(), 12);
        Assert.Equal(4.0, pca.Variances[0], 0.3);
        Assert.Equal(0.25, pca.Variances[1], 0.02);
        Assert.Equal(pca.Variances[0] + pca.Variances[1], pca.TotalVariance, 1e-6);
        Assert.Equal(1.0, pca.Mean[0], 0.1);
    }

    [Fact]
    public void ProjectionCentresAndRotates()
    {
        var points = Tensor.FromArray([1, 1, 3, 3, 5, 5], 3, 2);
        var pca = Pca.Fit(points, 2);
        var projected = pca.Project(points);
        Assert.Equal(new Shape(3, 2), projected.Shape);
        Assert.Equal(-Math.Sqrt(8), projected.Row(0)[0], 4);
        Assert.Equal(0, projected.Row(1)[0], 5);
        Assert.Equal(0, projected.Row(2)[1], 4);
        Assert.Equal(0, pca.Components[0].Zip(pca.Components[1], (a, b) => a * b).Sum(), 12);
    }

    [Fact]
    public void ConstantDataHasZeroVariance()
    {
        var pca = Pca.Fit(Tensor.FromArray([2, 2, 2, 2], 2, 2), 2);
        Assert.All(pca.Variances, variance => Assert.Equal(0, variance, 12));
        Assert.Equal(0, pca.TotalVariance);
    }
}

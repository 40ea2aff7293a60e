using VaeSharp.Plotting;

namespace VaeSharp.Tests.Plotting;

public class NormalQuantileTests
{
    // Reference quantiles of the standard normal, to 9 digits (e.g. scipy.stats.norm.ppf).
    [Theory]
    [InlineData(0.5, 0.0)]
    [InlineData(0.975, 1.959963985)]
    [InlineData(0.025, -1.959963985)]
    [InlineData(0.95, 1.644853627)]
    [InlineData(0.05, -1.644853627)]
    [InlineData(0.001, -3.090232306)]
    [InlineData(0.8413447461, 1.0)]
    [InlineData(1e-10, -6.361340902)]
    public void MatchesKnownQuantiles(double probability, double expected) =>
        Assert.Equal(expected, NormalQuantile.Inverse(probability), 1e-6);

    [Fact]
    public void EndsAreInfiniteAndOutsideIsAnError()
    {
        Assert.Equal(double.NegativeInfinity, NormalQuantile.Inverse(0));
        Assert.Equal(double.PositiveInfinity, NormalQuantile.Inverse(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => NormalQuantile.Inverse(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => NormalQuantile.Inverse(double.NaN));
    }

    [Fact]
    public void GaussianManifoldAxisIsTheQuantilesOfFivePercentToNinetyFive()
    {
        var axis = Manifold.GaussianAxis(5);
        Assert.Equal(-1.644854f, axis[0], 5);
        Assert.Equal(-0.5977601f, axis[1], 5);
        Assert.Equal(0f, axis[2], 6);
        Assert.Equal(1.644854f, axis[4], 5);
        Assert.Equal([0f], Manifold.GaussianAxis(1));
    }
}

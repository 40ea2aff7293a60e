using VaeSharp.Plotting;

namespace VaeSharp.Tests.Plotting;

public class TicksTests
{
    [Theory]
    [InlineData(0, 10, 6, new double[] { 0, 2, 4, 6, 8, 10 })]
    [InlineData(-4.3, 4.7, 10, new double[] { -4, -3, -2, -1, 0, 1, 2, 3, 4 })]
    [InlineData(0.13, 0.58, 5, new double[] { 0.2, 0.3, 0.4, 0.5 })]
    [InlineData(150.2, 189.9, 8, new double[] { 155, 160, 165, 170, 175, 180, 185 })]
    [InlineData(-1e-3, 1e-3, 4, new double[] { -1e-3, 0, 1e-3 })]
    public void NiceTicksAreOneTwoOrFiveTimesAPowerOfTen(double min, double max, int maxCount, double[] expected)
    {
        var ticks = Ticks.Nice(min, max, maxCount);
        Assert.Equal(expected.Length, ticks.Length);
        for (int i = 0; i < ticks.Length; i++) Assert.Equal(expected[i], ticks[i], 12);
    }

    [Fact]
    public void MinimumStepKeepsWholeNumbers() =>
        Assert.Equal([1.0, 2.0], Ticks.Nice(0.94, 2.06, 10, minStep: 1));

    [Fact]
    public void SinglePointGetsOneTick() => Assert.Equal([3.0], Ticks.Nice(3, 3));

    [Theory]
    [InlineData(0.30000000000000004, 0.1, "0.3")]
    [InlineData(-0.0, 1, "0")]
    [InlineData(-1e-17, 0.5, "0.0")]
    [InlineData(-2.5, 0.5, "-2.5")]
    [InlineData(1500, 500, "1500")]
    [InlineData(0.05, 0.05, "0.05")]
    public void LabelsUseTheStepsDecimalsAndNeverNegativeZero(double value, double step, string expected) =>
        Assert.Equal(expected, Ticks.Format(value, step));

    [Fact]
    public void RejectsBadRanges()
    {
        Assert.Throws<ArgumentException>(() => Ticks.Nice(2, 1));
        Assert.Throws<ArgumentException>(() => Ticks.Nice(double.NaN, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ticks.Nice(0, 1, 1));
    }
}

using VaeSharp.Kernels;

namespace VaeSharp.Tests.Kernels;

/// <summary>The float sigmoid stays within a few units in the last place of the exact value, and its bits do not depend on where an element sits.</summary>
public class VectorSigmoidTests
{
    // Measured worst case over the sweep below is 2 ulps on both vector paths; 3 leaves room for another CPU's rounding.
    private const int MaxUlps = 3;

    [Fact]
    public void StaysWithinAFewUlpsOfTheExactValue()
    {
        // Every 2^-12 from −100 to 100, plus random points: both tails, the clamps at ±87–88 and the steep middle.
        var points = new List<float>();
        for (double v = -100; v <= 100; v += 1.0 / 4096) points.Add((float)v);
        var rng = new Random(5);
        for (int i = 0; i < 100_000; i++) points.Add((float)(rng.NextDouble() * 40 - 20));
        float[] x = [.. points], y = new float[x.Length];
        VectorSigmoid.Apply(x, y);

        int worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            float exact = (float)(1 / (1 + Math.Exp(-(double)x[i])));
            // The result is never subnormal: where the exact value is, the clamp returns the value at −87.3.
            Assert.True(y[i] >= Subnormals.SmallestNormal, $"sigmoid({x[i]:R}) = {y[i]:R} is subnormal");
            if (exact < 1.22e-38f)
            {
                Assert.True(y[i] - exact < 1.22e-38f, $"sigmoid({x[i]:R}) = {y[i]:R}, exactly {exact:R}");
                continue;
            }
            int ulps = Math.Abs(BitConverter.SingleToInt32Bits(y[i]) - BitConverter.SingleToInt32Bits(exact));
            Assert.True(ulps <= MaxUlps, $"sigmoid({x[i]:R}) = {y[i]:R}, exactly {exact:R}: {ulps} ulps");
            worst = Math.Max(worst, ulps);
        }
        Assert.True(worst > 0, "the sweep never left the exact float, so it tests nothing");
    }

    [Fact]
    public void SpecialValues()
    {
        float[] x = [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1000f, -1000f];
        float[] y = new float[x.Length];
        VectorSigmoid.Apply(x, y);
        Assert.Equal([0.5f, 0.5f, 1f, 0f, float.NaN, 1f, 0f], y.Select(v => v < 1.22e-38f ? 0f : v));
        Assert.True(float.IsNaN(y[4]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(37)]
    public void ATailElementGetsTheBitsOfAWholeVector(int length)
    {
        var rng = new Random(length);
        float[] x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float)(rng.NextDouble() * 20 - 10);
        float[] alone = new float[length];
        VectorSigmoid.Apply(x, alone);
        for (int i = 0; i < length; i++)
        {
            // The same value as the first element of a full, longer span.
            float[] padded = Enumerable.Repeat(x[i], 64).ToArray(), y = new float[64];
            VectorSigmoid.Apply(padded, y);
            Assert.Equal(BitConverter.SingleToInt32Bits(y[0]), BitConverter.SingleToInt32Bits(alone[i]));
        }
    }
}

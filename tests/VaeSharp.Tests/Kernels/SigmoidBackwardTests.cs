using System.Numerics.Tensors;
using VaeSharp.Kernels;

namespace VaeSharp.Tests.Kernels;

/// <summary>The sigmoid's backward pass gives TensorPrimitives' bits, and no gradient it leaves is subnormal.</summary>
public class SigmoidBackwardTests
{
    [Theory]
    [InlineData(37)]
    [InlineData(1000)]
    public void MatchesTheThreeStepsItReplaces(int length)
    {
        var rng = new Random(length);
        float[] dy = new float[length], y = new float[length], dx = new float[length];
        for (int i = 0; i < length; i++)
        {
            dy[i] = (float)(rng.NextDouble() * 4 - 2);
            y[i] = (float)rng.NextDouble();
            dx[i] = (float)(rng.NextDouble() - 0.5);
        }
        float[] expected = [.. dx], slope = new float[length];
        TensorPrimitives.Subtract(1f, y, slope);
        TensorPrimitives.Multiply(slope, y, slope);
        TensorPrimitives.FusedMultiplyAdd(dy, slope, expected, expected);

        Elementwise.SigmoidBackward(dy, y, dx);

        Assert.Equal(expected, dx);
    }

    [Fact]
    public void AGradientBelowTheNegligibleFloorBecomesZero()
    {
        // A background pixel under the squared-error loss: y = 1e-20, dy = 2y. The product, 2e-40, is subnormal; 1e-30
        // times 1e-3 is normal but below 2^−100. Both become zero; 1e-10 times 1e-10 stays.
        float[] y = [1e-20f, 1e-30f, 1e-10f, 1e-20f, 0.5f, 1e-20f, 1e-20f, 1e-20f, 1e-20f];
        float[] dy = [2e-20f, 1e-3f, 1e-10f, 2e-20f, 1f, 2e-20f, 2e-20f, 2e-20f, 2e-20f];
        float[] dx = new float[y.Length];
        Elementwise.SigmoidBackward(dy, y, dx);
        float kept = MathF.FusedMultiplyAdd(1e-10f, (1f - 1e-10f) * 1e-10f, 0f);
        Assert.Equal([0f, 0f, kept, 0f, 0.25f, 0f, 0f, 0f, 0f], dx);
        Assert.DoesNotContain(dx, v => v != 0 && Math.Abs(v) < Subnormals.SmallestNormal);
    }
}

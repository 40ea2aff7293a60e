using System.Numerics.Tensors;
using VaeSharp.Kernels;

namespace VaeSharp.Tests.Kernels;

/// <summary>An elementwise map split over threads gives every element the bits it gets on one thread.</summary>
public class ParallelMapTests
{
    [Theory]
    [InlineData(1000 * 784)] // a decoder's batch of outputs
    [InlineData(65_536 + 7)] // two runs, the second with a ragged tail
    [InlineData(131_071)] // the last run just under twice the others
    [InlineData(100)] // too short to split
    public void SplitRunsGiveTheOneThreadBits(int length)
    {
        var rng = new Random(length);
        float[] x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float)(rng.NextDouble() * 40 - 20);
        Check<SigmoidMap>(x, (input, output) => VectorSigmoid.Apply(input, output));
        Check<TanhMap>(x, (input, output) => TensorPrimitives.Tanh(input, output));
        Check<ExpMap>(x, (input, output) => TensorPrimitives.Exp(input, output));
        Check<SoftplusMap>(x, (input, output) => Elementwise.Softplus(input, output));
    }

    private static void Check<TMap>(float[] x, Action<float[], float[]> serial) where TMap : IElementwiseMap
    {
        float[] expected = new float[x.Length], actual = new float[x.Length];
        serial(x, expected);
        ParallelMap.Run<TMap>(x, actual);
        Assert.Equal(expected, actual);
    }
}

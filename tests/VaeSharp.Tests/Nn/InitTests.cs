using VaeSharp.Nn;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Nn;

/// <summary>
/// Each scheme fills U(−limit, limit) with its own limit: the draws stay inside it, reach near both ends, and have
/// the uniform's variance limit²/3. All-zero or wrongly scaled weights fail every one of these.
/// </summary>
public class InitTests
{
    [Theory]
    [InlineData(WeightInit.Glorot, 300, 100)] // √(6 / (in + out))
    [InlineData(WeightInit.He, 300, 100)] // √(6 / in)
    [InlineData(WeightInit.FanInUniform, 300, 100)] // 1 / √in, as PyTorch's nn.Linear
    public void WeightsAreUniformWithTheSchemesLimit(WeightInit scheme, int fanIn, int fanOut)
    {
        double limit = scheme switch
        {
            WeightInit.Glorot => Math.Sqrt(6.0 / (fanIn + fanOut)),
            WeightInit.He => Math.Sqrt(6.0 / fanIn),
            _ => 1 / Math.Sqrt(fanIn),
        };
        var weights = new float[fanIn * fanOut];
        var bias = Enumerable.Repeat(9f, fanOut).ToArray();
        Init.Layer(scheme, weights, bias, fanIn, fanOut, new Rng(1));

        Assert.All(weights, w => Assert.InRange(w, -limit, limit));
        Assert.True(weights.Min() < -0.99 * limit && weights.Max() > 0.99 * limit, $"draws do not reach ±{limit}");
        double variance = weights.Average(w => (double)w * w);
        Assert.InRange(variance / (limit * limit / 3), 0.97, 1.03);
        if (scheme == WeightInit.FanInUniform)
        {
            Assert.All(bias, b => Assert.InRange(b, -limit, limit));
            Assert.True(bias.Distinct().Count() > fanOut / 2, "the bias is drawn like the weights");
        }
        else Assert.All(bias, b => Assert.Equal(0f, b));
    }
}

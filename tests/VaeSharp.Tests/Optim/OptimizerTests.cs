using VaeSharp.Kernels;
using VaeSharp.Nn;
using VaeSharp.Optim;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Optim;

/// <summary>One step of each optimizer against values worked out by hand.</summary>
public class OptimizerTests
{
    private static ParameterSet OneParameter(float value, float gradient)
    {
        var parameters = new ParameterSet();
        parameters.Add("p", new Shape(1));
        parameters.Seal();
        parameters.Values[0] = value;
        parameters.Gradients[0] = gradient;
        return parameters;
    }

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.RmsProp)]
    public void VectorBodyRoundsExactlyAsTheScalarTail(OptimizerKind kind)
    {
        // 37 values run through the vector body (and a tail); each alone runs through the scalar tail only.
        const int count = 37;
        var rng = new Rng(7);
        var values = new float[count];
        var gradients = new float[3 * count];
        rng.FillGaussian(values);
        rng.FillGaussian(gradients);
        var all = new ParameterSet();
        all.Add("p", new Shape(count));
        all.Seal();
        values.CopyTo(all.Values, 0);
        var batched = Optimizer.Create(kind, all, 0.01f);
        var singles = new (ParameterSet Parameters, Optimizer Optimizer)[count];
        for (int i = 0; i < count; i++)
        {
            var one = OneParameter(values[i], 0f);
            singles[i] = (one, Optimizer.Create(kind, one, 0.01f));
        }
        for (int step = 0; step < 3; step++)
        {
            gradients.AsSpan(step * count, count).CopyTo(all.Gradients);
            batched.Step();
            for (int i = 0; i < count; i++)
            {
                singles[i].Parameters.Gradients[0] = gradients[step * count + i];
                singles[i].Optimizer.Step();
            }
        }
        for (int i = 0; i < count; i++) Assert.Equal(singles[i].Parameters.Values[0], all.Values[i]);
    }

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.RmsProp)]
    public void AMomentWhoseGradientStopsNeverGoesSubnormal(OptimizerKind kind)
    {
        // 37 weights (the vector body and a tail) get one gradient, then none for 1,500 steps: Adam's m decays by 0.9
        // a step and RMSprop's mean square likewise, through the subnormal range unless flushed.
        const int count = 37, steps = 1500;
        const float lr = 1e-3f;
        var rng = new Rng(11);
        var parameters = new ParameterSet();
        parameters.Add("p", new Shape(count));
        parameters.Seal();
        rng.FillGaussian(parameters.Values);
        rng.FillGaussian(parameters.Gradients);
        float[] expected = [.. parameters.Values], m = new float[count], v = new float[count];
        var optimizer = Optimizer.Create(kind, parameters, lr);
        for (int step = 1; step <= steps; step++)
        {
            optimizer.Step();
            foreach (var (name, values) in optimizer.StateBuffers)
                Assert.DoesNotContain(values, x => x != 0 && Math.Abs(x) < Subnormals.SmallestNormal);
            for (int i = 0; i < count; i++)
                expected[i] = UnflushedStep(kind, expected[i], step == 1 ? parameters.Gradients[i] : 0f, ref m[i], ref v[i], lr, step);
            parameters.Gradients.AsSpan().Clear();
        }
        // The flush moved no weight: each matches the unflushed arithmetic bit for bit.
        Assert.Equal(expected, parameters.Values);
        var decaying = optimizer.StateBuffers[0].Values; // Adam's m, RMSprop's mean square: 0.9^1500 of where it started
        Assert.All(decaying, x => Assert.Equal(0f, x));
        Assert.Contains(kind == OptimizerKind.Adam ? m : v, x => x != 0 && Math.Abs(x) < Subnormals.SmallestNormal); // unflushed, they do go subnormal
    }

    // The optimizers' scalar update without the flush, for one weight.
    private static float UnflushedStep(OptimizerKind kind, float p, float g, ref float m, ref float v, float lr, int step)
    {
        if (kind == OptimizerKind.RmsProp)
        {
            float vi = v = RmsProp.DefaultRho * v + (1 - RmsProp.DefaultRho) * g * g;
            return p - lr * g / (MathF.Sqrt(vi) + RmsProp.DefaultEpsilon);
        }
        float b1 = Adam.DefaultBeta1, b2 = Adam.DefaultBeta2;
        float stepSize = (float)(lr / (1 - Math.Pow(b1, step)));
        float sqrtCorrection2 = (float)Math.Sqrt(1 - Math.Pow(b2, step));
        float mi = m = b1 * m + (1 - b1) * g;
        float vj = v = b2 * v + (1 - b2) * g * g;
        return p - stepSize * mi / (MathF.Sqrt(vj) / sqrtCorrection2 + Adam.DefaultEpsilon);
    }

    [Fact]
    public void AdamFirstStepMovesByTheLearningRate()
    {
        // After one step m̂ = g and v̂ = g², so the step is lr·g/(|g| + ε) ≈ lr·sign(g).
        var parameters = OneParameter(1f, 0.5f);
        new Adam(parameters, 0.1f).Step();
        Assert.Equal(1f - 0.1f * 0.5f / (0.5f + Adam.DefaultEpsilon), parameters.Values[0], 6);
    }

    [Fact]
    public void AdamSecondStepFollowsTheBiasCorrectedMoments()
    {
        var parameters = OneParameter(0f, 1f);
        var adam = new Adam(parameters, 0.01f);
        adam.Step();
        parameters.Gradients[0] = -2f;
        adam.Step();
        double m = 0.9 * 0.1 + 0.1 * -2, v = 0.999 * 0.001 + 0.001 * 4;
        double mHat = m / (1 - 0.81), vHat = v / (1 - 0.999 * 0.999);
        double expected = -0.01 * 1 / (1 + 1e-7) - 0.01 * mHat / (Math.Sqrt(vHat) + 1e-7);
        Assert.Equal(expected, parameters.Values[0], 5);
    }

    [Fact]
    public void RmsPropStepUsesTheRunningMeanSquare()
    {
        // v = (1 − 0.9)·g² = 0.1·4; step = lr·g/√v = 0.01·2/√0.4.
        var parameters = OneParameter(1f, 2f);
        new RmsProp(parameters, 0.01f).Step();
        Assert.Equal(1f - 0.01f * 2f / (MathF.Sqrt(0.4f) + RmsProp.DefaultEpsilon), parameters.Values[0], 6);
    }

    [Fact]
    public void SgdStepsAgainstTheGradient()
    {
        var parameters = OneParameter(1f, 2f);
        new Sgd(parameters, 0.25f).Step();
        Assert.Equal(0.5f, parameters.Values[0]);
    }

    [Fact]
    public void OptimizerNeedsASealedSet()
    {
        var parameters = new ParameterSet();
        parameters.Add("p", new Shape(2));
        Assert.Throws<ArgumentException>(() => new Adam(parameters, 0.1f));
    }
}

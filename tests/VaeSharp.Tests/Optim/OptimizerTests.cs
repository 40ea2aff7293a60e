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

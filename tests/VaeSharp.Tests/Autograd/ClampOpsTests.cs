using VaeSharp.Autograd;
using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Autograd;

public class ClampOpsTests
{
    /// <summary>Values on both sides of both bounds, none within the finite-difference step of a kink.</summary>
    private static Tensor AroundTheBounds() => Tensor.FromArray([-2.5f, -1.3f, -0.7f, 0f, 0.4f, 0.9f, 1.2f, 3f], 2, 4);

    [Fact]
    public void GradientMatchesFiniteDifferences() =>
        GradientCheck.Assert((tape, v) => tape.Clamp(v[0], -1f, 1f), [AroundTheBounds()]);

    [Fact]
    public void ClampsValuesAndPassesGradientOnlyInsideTheRange()
    {
        var tape = new Tape();
        var x = new Var(AroundTheBounds(), requiresGrad: true);
        var y = tape.Clamp(x, -1f, 1f);
        Assert.Equal([-1f, -1f, -0.7f, 0f, 0.4f, 0.9f, 1f, 1f], y.Value.Span.ToArray());
        tape.Backward(tape.Sum(y));
        Assert.Equal([0f, 0f, 1f, 1f, 1f, 1f, 0f, 0f], tape.GradOf(x).Span.ToArray());
    }

    [Fact]
    public void TheEncoderClampsLogVarUnlessTheSpecTurnsItOff()
    {
        var spec = new ModelSpec { InputShape = [4], Hidden = [3], Latent = 2 };
        var clamped = new VaeModel(spec, new Rng(1));
        var unclamped = new VaeModel(spec with { UnclampedLogVar = true }, new Rng(1));
        // Huge weights drive the log-variance far outside [-30, 20].
        foreach (var model in new[] { clamped, unclamped }) model.Parameters.Values.AsSpan().Fill(50f);
        var x = Tensor.FromArray([1f, 1f, 1f, 1f], 1, 4);
        Assert.All(clamped.Encode(x).LogVar.Span.ToArray(), value => Assert.Equal(VaeModel.LogVarMax, value));
        Assert.All(unclamped.Encode(x).LogVar.Span.ToArray(), value => Assert.True(value > 1000f));
        Assert.DoesNotContain("unclamped", spec.ToJson());
        Assert.Contains("\"unclamped_log_var\": true", (spec with { UnclampedLogVar = true }).ToJson());
    }
}

namespace VaeSharp.Autograd;

/// <summary>Clamping to a range, as the log-variance guard uses it.</summary>
public static class ClampOps
{
    /// <summary>
    /// min(max(x, min), max). The gradient passes where min ≤ x ≤ max and is zero outside, as for any clamp: a value
    /// held at a bound does not move when x moves a little.
    /// </summary>
    public static Var Clamp(this Tape tape, Var x, float min, float max)
    {
        if (!(min <= max)) throw new ArgumentException($"Clamp: min {min} must not exceed max {max}");
        var y = tape.NewTensor(x.Shape);
        ReadOnlySpan<float> xs = x.Value.Span;
        Span<float> ys = y.Span;
        // A NaN stays NaN (both comparisons are false), so a fault upstream still shows in the loss.
        for (int i = 0; i < ys.Length; i++) ys[i] = xs[i] < min ? min : xs[i] > max ? max : xs[i];
        var output = tape.Output(y, x.RequiresGrad);
        tape.Record(output, () =>
        {
            ReadOnlySpan<float> dy = output.Grad!.Span, xv = x.Value.Span;
            var dx = tape.GradOf(x).Span;
            for (int i = 0; i < dx.Length; i++) if (xv[i] >= min && xv[i] <= max) dx[i] += dy[i];
        });
        return output;
    }
}

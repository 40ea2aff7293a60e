using VaeSharp.Tensors;

namespace VaeSharp.Autograd;

/// <summary>
/// Reconstruction terms that count observed entries only: a mask (1 observed, 0 missing) of the same shape as the
/// target zeroes the rest, so a masked VAE is never scored, or pushed, on values it was not shown. Like
/// <see cref="LossOps"/>, each sums over a row's features and averages over the rows. Entries where the mask is 0 are
/// skipped, not multiplied by 0, so a missing target may hold anything, NaN included.
/// </summary>
public static class MaskedLossOps
{
    private static readonly Shape Scalar = new(1);

    /// <summary>
    /// Σ mask·BCE(sigmoid(z), t) per row, averaged over rows, in the stable form of
    /// <see cref="LossOps.BinaryCrossEntropyWithLogits"/>. Gradient: mask·(sigmoid(z) − t) / rows.
    /// </summary>
    public static Var MaskedBinaryCrossEntropyWithLogits(this Tape tape, Var logits, Tensor target, Tensor mask)
    {
        RequireShapes(logits, target, mask, "MaskedBCE");
        ReadOnlySpan<float> z = logits.Value.Span, t = target.Span, m = mask.Span; // each (rows, features)
        double sum = 0;
        for (int i = 0; i < z.Length; i++)
            if (m[i] != 0f) sum += m[i] * LossOps.BinaryCrossEntropy(z[i], t[i]);
        int rows = logits.Shape.Rows;
        var output = ScalarOutput(tape, sum / rows, logits.RequiresGrad);
        tape.Record(output, () =>
        {
            float scale = output.Grad!.Span[0] / rows;
            ReadOnlySpan<float> zs = logits.Value.Span, ts = target.Span, ms = mask.Span;
            var dz = tape.GradOf(logits).Span;
            for (int i = 0; i < dz.Length; i++)
                if (ms[i] != 0f) dz[i] += scale * ms[i] * (1f / (1f + MathF.Exp(-zs[i])) - ts[i]);
        });
        return output;
    }

    /// <summary>Σ mask·(p − t)² per row, averaged over rows. Gradient: 2·mask·(p − t) / rows.</summary>
    public static Var MaskedSquaredError(this Tape tape, Var prediction, Tensor target, Tensor mask)
    {
        RequireShapes(prediction, target, mask, "MaskedSquaredError");
        ReadOnlySpan<float> p = prediction.Value.Span, t = target.Span, m = mask.Span; // each (rows, features)
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
            if (m[i] != 0f) sum += m[i] * (double)(p[i] - t[i]) * (p[i] - t[i]);
        int rows = prediction.Shape.Rows;
        var output = ScalarOutput(tape, sum / rows, prediction.RequiresGrad);
        tape.Record(output, () =>
        {
            float scale = 2f * output.Grad!.Span[0] / rows;
            ReadOnlySpan<float> ps = prediction.Value.Span, ts = target.Span, ms = mask.Span;
            var dp = tape.GradOf(prediction).Span;
            for (int i = 0; i < dp.Length; i++)
                if (ms[i] != 0f) dp[i] += scale * ms[i] * (ps[i] - ts[i]);
        });
        return output;
    }

    private static Var ScalarOutput(Tape tape, double value, bool requiresGrad)
    {
        var y = tape.NewTensor(Scalar);
        y.Span[0] = (float)value;
        return tape.Output(y, requiresGrad);
    }

    private static void RequireShapes(Var prediction, Tensor target, Tensor mask, string op)
    {
        if (!prediction.Shape.Equals(target.Shape) || !prediction.Shape.Equals(mask.Shape))
            throw new ArgumentException($"{op}: shapes {prediction.Shape}, {target.Shape} (target) and {mask.Shape} (mask) differ");
    }
}

using VaeSharp.Kernels;
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
                if (ms[i] != 0f) dz[i] += Subnormals.FlushBelow(scale * ms[i] * (1f / (1f + MathF.Exp(-zs[i])) - ts[i]), Subnormals.Negligible);
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

    /// <summary>
    /// Σ over the blocks a row observes of the softmax cross-entropy −log softmax(z[block])·t[block], averaged over
    /// rows: each block (start, count) is one categorical variable, t its one-hot truth, and the mask's value at the
    /// block's first entry says whether the row observes it. Gradient: (softmax(z[block]) − t[block]) / rows.
    /// </summary>
    public static Var MaskedBlockCrossEntropy(this Tape tape, Var logits, Tensor target, Tensor mask, IReadOnlyList<int[]> blocks)
    {
        RequireShapes(logits, target, mask, "MaskedBlockCrossEntropy");
        int rows = logits.Shape.Rows, features = logits.Shape.Cols;
        if (blocks.Any(block => block is not [var start, var count] || start < 0 || count < 1 || start + count > features))
            throw new ArgumentException($"MaskedBlockCrossEntropy: a block lies outside the {features} features");
        var probabilities = tape.NewTensor(logits.Shape); // (rows, features): the block softmaxes, kept for backward
        double sum = 0;
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<float> z = logits.Value.Row(row), t = target.Row(row), m = mask.Row(row);
            var p = probabilities.Row(row);
            foreach (var block in blocks)
            {
                int start = block[0], count = block[1];
                if (m[start] == 0f) continue;
                float max = System.Numerics.Tensors.TensorPrimitives.Max(z.Slice(start, count));
                double normalizer = 0;
                for (int c = start; c < start + count; c++) normalizer += p[c] = MathF.Exp(z[c] - max);
                double logNormalizer = Math.Log(normalizer) + max;
                for (int c = start; c < start + count; c++)
                {
                    p[c] = (float)(p[c] / normalizer);
                    sum += t[c] * (logNormalizer - z[c]);
                }
            }
        }
        var output = ScalarOutput(tape, sum / rows, logits.RequiresGrad);
        tape.Record(output, () =>
        {
            float scale = output.Grad!.Span[0] / rows;
            var dz = tape.GradOf(logits);
            for (int row = 0; row < rows; row++)
            {
                ReadOnlySpan<float> p = probabilities.Row(row), t = target.Row(row), m = mask.Row(row);
                var d = dz.Row(row);
                foreach (var block in blocks)
                {
                    if (m[block[0]] == 0f) continue;
                    for (int c = block[0]; c < block[0] + block[1]; c++) d[c] += scale * (p[c] - t[c]);
                }
            }
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

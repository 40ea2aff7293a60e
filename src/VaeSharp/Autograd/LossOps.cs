using System.Numerics.Tensors;
using VaeSharp.Kernels;
using VaeSharp.Tensors;

namespace VaeSharp.Autograd;

/// <summary>
/// VAE loss terms. Each sums over the features of a row and averages over the rows (the batch), so a
/// reconstruction term is "per example", as in the Keras and PyTorch VAE examples.
/// </summary>
public static class LossOps
{
    private static readonly Shape Scalar = new(1);

    /// <summary>
    /// Binary cross-entropy of targets t in [0, 1] against sigmoid(z), from the logits z:
    /// max(z, 0) − z·t + log(1 + e^−|z|), which never takes the log of 0. Gradient: (sigmoid(z) − t) / rows.
    /// </summary>
    public static Var BinaryCrossEntropyWithLogits(this Tape tape, Var logits, Var target)
    {
        RequireSameShape(logits, target, "BCE");
        // The gradient falls out of the same exponential as the loss, so it is computed here once and kept.
        var gradient = tape.NewTensor(logits.Shape); // gradient: sigmoid(z) − t, (rows, features)
        double sum = Elementwise.BceWithLogits(logits.Value.Span, target.Value.Span, gradient.Span);
        int rows = logits.Shape.Rows;
        var output = ScalarOutput(tape, sum / rows, logits.RequiresGrad);
        tape.Record(output, () =>
        {
            float scale = output.Grad!.Span[0] / rows;
            var dz = tape.GradOf(logits, out bool overwrite).Span;
            if (overwrite) TensorPrimitives.Multiply(gradient.Span, scale, dz);
            else TensorPrimitives.MultiplyAdd(gradient.Span, scale, dz, dz);
        });
        return output;
    }

    /// <summary>Squared error Σ(p − t)² per row, averaged over rows: MSE × features, the scale BCE has.</summary>
    public static Var SquaredError(this Tape tape, Var prediction, Var target)
    {
        RequireSameShape(prediction, target, "SquaredError");
        ReadOnlySpan<float> p = prediction.Value.Span, t = target.Value.Span;
        double sum = 0;
        for (int i = 0; i < p.Length; i++) sum += (double)(p[i] - t[i]) * (p[i] - t[i]);
        int rows = prediction.Shape.Rows;
        var output = ScalarOutput(tape, sum / rows, prediction.RequiresGrad);
        tape.Record(output, () =>
        {
            float scale = 2f * output.Grad!.Span[0] / rows;
            ReadOnlySpan<float> ps = prediction.Value.Span, ts = target.Value.Span;
            var dp = tape.GradOf(prediction).Span;
            for (int i = 0; i < dp.Length; i++) dp[i] += scale * (ps[i] - ts[i]);
        });
        return output;
    }

    /// <summary>
    /// KL(N(mu, σ²) ‖ N(0, I)) in closed form with logVar = log σ²: −½ Σ(1 + logVar − mu² − e^logVar) per row,
    /// averaged over rows.
    /// </summary>
    public static Var GaussianKl(this Tape tape, Var mu, Var logVar)
    {
        RequireSameShape(mu, logVar, "GaussianKl");
        ReadOnlySpan<float> m = mu.Value.Span, lv = logVar.Value.Span;
        double sum = 0;
        for (int i = 0; i < m.Length; i++) sum += 1.0 + lv[i] - (double)m[i] * m[i] - Math.Exp(lv[i]);
        int rows = mu.Shape.Rows;
        var output = ScalarOutput(tape, -0.5 * sum / rows, mu.RequiresGrad || logVar.RequiresGrad);
        tape.Record(output, () =>
        {
            float scale = output.Grad!.Span[0] / rows;
            ReadOnlySpan<float> ms = mu.Value.Span, lvs = logVar.Value.Span;
            if (mu.RequiresGrad)
            {
                var dMu = tape.GradOf(mu).Span;
                for (int i = 0; i < dMu.Length; i++) dMu[i] += scale * ms[i];
            }
            if (logVar.RequiresGrad)
            {
                var dLogVar = tape.GradOf(logVar).Span;
                for (int i = 0; i < dLogVar.Length; i++) dLogVar[i] += scale * 0.5f * (MathF.Exp(lvs[i]) - 1f);
            }
        });
        return output;
    }

    /// <summary>
    /// KL(q ‖ p) between two diagonal Gaussians given by mean and log-variance, each (batch, latent), summed over
    /// the latent and averaged over rows: ½·Σ[lvP − lvQ + (e^lvQ + (muQ − muP)²)·e^−lvP − 1]. Both sides may carry
    /// gradients, as when a learned prior p(z | less of x) is trained toward the posterior q(z | more of x).
    /// </summary>
    public static Var GaussianKlBetween(this Tape tape, Var muQ, Var logVarQ, Var muP, Var logVarP)
    {
        RequireSameShape(muQ, logVarQ, "GaussianKlBetween");
        RequireSameShape(muQ, muP, "GaussianKlBetween");
        RequireSameShape(muQ, logVarP, "GaussianKlBetween");
        ReadOnlySpan<float> mq = muQ.Value.Span, lq = logVarQ.Value.Span, mp = muP.Value.Span, lp = logVarP.Value.Span;
        double sum = 0;
        for (int i = 0; i < mq.Length; i++)
        {
            double gap = (double)mq[i] - mp[i];
            sum += lp[i] - lq[i] + (Math.Exp(lq[i]) + gap * gap) * Math.Exp(-lp[i]) - 1.0;
        }
        int rows = muQ.Shape.Rows;
        bool requiresGrad = muQ.RequiresGrad || logVarQ.RequiresGrad || muP.RequiresGrad || logVarP.RequiresGrad;
        var output = ScalarOutput(tape, 0.5 * sum / rows, requiresGrad);
        tape.Record(output, () =>
        {
            float scale = output.Grad!.Span[0] / rows;
            ReadOnlySpan<float> mqs = muQ.Value.Span, lqs = logVarQ.Value.Span, mps = muP.Value.Span, lps = logVarP.Value.Span;
            Span<float> dMuQ = muQ.RequiresGrad ? tape.GradOf(muQ).Span : default, dLogVarQ = logVarQ.RequiresGrad ? tape.GradOf(logVarQ).Span : default;
            Span<float> dMuP = muP.RequiresGrad ? tape.GradOf(muP).Span : default, dLogVarP = logVarP.RequiresGrad ? tape.GradOf(logVarP).Span : default;
            for (int i = 0; i < mqs.Length; i++)
            {
                float precisionP = MathF.Exp(-lps[i]), gap = mqs[i] - mps[i], varianceQ = MathF.Exp(lqs[i]);
                if (!dMuQ.IsEmpty) dMuQ[i] += scale * gap * precisionP;
                if (!dMuP.IsEmpty) dMuP[i] -= scale * gap * precisionP;
                if (!dLogVarQ.IsEmpty) dLogVarQ[i] += scale * 0.5f * (varianceQ * precisionP - 1f);
                if (!dLogVarP.IsEmpty) dLogVarP[i] += scale * 0.5f * (1f - (varianceQ + gap * gap) * precisionP);
            }
        });
        return output;
    }

    /// <summary>
    /// Cross-entropy of integer class labels against softmax(logits), averaged over rows: −log softmax(z)[label],
    /// computed with the row maximum subtracted so no exponential overflows. Gradient: (softmax(z) − onehot) / rows.
    /// </summary>
    public static Var SoftmaxCrossEntropy(this Tape tape, Var logits, ReadOnlySpan<byte> labels)
    {
        int rows = logits.Shape.Rows, classes = logits.Shape.Cols;
        if (labels.Length != rows) throw new ArgumentException($"SoftmaxCrossEntropy: {labels.Length} labels for {rows} rows");
        var probabilities = tape.NewTensor(logits.Shape); // probabilities: (rows, classes), kept for backward
        var targets = labels.ToArray();
        double sum = 0;
        for (int row = 0; row < rows; row++)
        {
            if (targets[row] >= classes) throw new ArgumentException($"SoftmaxCrossEntropy: label {targets[row]} ≥ {classes} classes");
            ReadOnlySpan<float> z = logits.Value.Row(row);
            var p = probabilities.Row(row);
            float max = System.Numerics.Tensors.TensorPrimitives.Max(z);
            double normalizer = 0;
            for (int c = 0; c < classes; c++) normalizer += p[c] = MathF.Exp(z[c] - max);
            for (int c = 0; c < classes; c++) p[c] = (float)(p[c] / normalizer);
            sum += Math.Log(normalizer) + max - z[targets[row]];
        }
        var output = ScalarOutput(tape, sum / rows, logits.RequiresGrad);
        tape.Record(output, () =>
        {
            float scale = output.Grad!.Span[0] / rows;
            var dz = tape.GradOf(logits);
            for (int row = 0; row < rows; row++)
            {
                ReadOnlySpan<float> p = probabilities.Row(row);
                var d = dz.Row(row);
                for (int c = 0; c < classes; c++) d[c] += scale * (p[c] - (c == targets[row] ? 1f : 0f));
            }
        });
        return output;
    }

    /// <summary>
    /// One element's BCE from its logit, in the form that never takes the log of 0; |z| is capped inside the
    /// exponential as <see cref="Elementwise.BceWithLogits"/> caps it, so e^−|z| is never subnormal.
    /// </summary>
    internal static float BinaryCrossEntropy(float logit, float target) =>
        Math.Max(logit, 0f) - logit * target + MathF.Log(1f + MathF.Exp(-Math.Min(Math.Abs(logit), Subnormals.MaxExpArgument)));

    private static Var ScalarOutput(Tape tape, double value, bool requiresGrad)
    {
        var y = tape.NewTensor(Scalar);
        y.Span[0] = (float)value;
        return tape.Output(y, requiresGrad);
    }

    private static void RequireSameShape(Var a, Var b, string op)
    {
        if (!a.Shape.Equals(b.Shape)) throw new ArgumentException($"{op}: shapes {a.Shape} and {b.Shape} differ");
    }
}

using VaeSharp.Autograd;
using VaeSharp.Data;
using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Evaluation;

/// <summary>
/// The importance-weighted bound of Burda et al. (2016): −log p(x) ≤ −log (1/K) Σₖ p(x|zₖ)p(zₖ)/q(zₖ|x) with
/// zₖ ~ q(z|x). It tightens towards −log p(x) as K grows and equals the −ELBO in expectation at K = 1. The model's
/// own reconstruction term serves as −log p(x|z), so the bound is comparable to its −ELBO.
/// </summary>
public static class ImportanceWeightedBound
{

    /// <summary>The mean bound on −log p(x) over <paramref name="data"/>, in nats per example.</summary>
    /// <param name="model">A VAE with a p(x) to bound.</param>
    /// <param name="data">The examples.</param>
    /// <param name="samples">K, the draws of z per example.</param>
    /// <param name="rng">Draws the eps.</param>
    /// <param name="examplesPerBatch">Examples decoded together, K rows each.</param>
    /// <param name="progress">Told the examples done after each batch.</param>
    /// <exception cref="ArgumentException">The model is <see cref="ModelSpec.Conditional"/>.</exception>
    public static double Evaluate(VaeModel model, Dataset data, int samples, Rng rng, int examplesPerBatch = 50, IProgress<int>? progress = null)
    {
        if (model.Spec.Conditional) throw new ArgumentException("a conditional model bounds log p(hidden | visible), not log p(x), so it has no importance-weighted bound of p(x)");
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(examplesPerBatch, 1);
        int features = data.Features, latent = model.LatentSize;
        var x = new float[examplesPerBatch * features]; // x: (examples, features)
        var logWeights = new double[samples]; // log wₖ for one example
        var tape = new Tape(recording: false);
        double total = 0;
        for (int start = 0; start < data.Count; start += examplesPerBatch)
        {
            int examples = Math.Min(examplesPerBatch, data.Count - start);
            data.CopyRange(start, examples, x.AsSpan(0, examples * features));
            var (mu, logVar) = model.Encode(tape, Var.Constant(new Tensor(new Shape(examples, features), x)));

            // Row e·K + k of the repeated batch holds sample k of example e.
            int rows = examples * samples;
            var eps = tape.NewTensor(new Shape(rows, latent)); // eps: (examples·K, latent)
            rng.FillGaussian(eps.Span);
            var z = tape.NewTensor(new Shape(rows, latent)); // z: (examples·K, latent)
            var logPriorOverPosterior = new double[rows];
            for (int row = 0; row < rows; row++)
            {
                var m = mu.Value.Row(row / samples);
                var lv = logVar.Value.Row(row / samples);
                var e = eps.Row(row);
                var zRow = z.Row(row);
                double logRatio = 0;
                for (int d = 0; d < latent; d++)
                {
                    zRow[d] = m[d] + MathF.Exp(0.5f * lv[d]) * e[d];
                    // log N(z; 0, 1) − log N(z; mu, σ²); the −½log 2π terms cancel.
                    logRatio += -0.5 * zRow[d] * zRow[d] + 0.5 * lv[d] + 0.5 * e[d] * e[d];
                }
                logPriorOverPosterior[row] = logRatio;
            }
            var logits = model.DecodeLogits(tape, Var.Constant(z)).Value; // logits: (examples·K, features)
            for (int example = 0; example < examples; example++)
            {
                var target = x.AsSpan(example * features, features);
                for (int k = 0; k < samples; k++)
                {
                    int row = example * samples + k;
                    logWeights[k] = logPriorOverPosterior[row] - ReconstructionTerm(model.Spec.Loss, logits.Row(row), target);
                }
                total -= LogMeanExp(logWeights);
            }
            tape.Reset();
            progress?.Report(start + examples);
        }
        return total / data.Count;
    }

    /// <summary>The per-example reconstruction term the model trains with: BCE or squared error, summed over features.</summary>
    internal static double ReconstructionTerm(ReconstructionLoss loss, ReadOnlySpan<float> logits, ReadOnlySpan<float> target)
    {
        double sum = 0;
        if (loss == ReconstructionLoss.Bce)
            for (int i = 0; i < logits.Length; i++) sum += LossOps.BinaryCrossEntropy(logits[i], target[i]);
        else
            for (int i = 0; i < logits.Length; i++)
            {
                double error = 1 / (1 + Math.Exp(-logits[i])) - target[i];
                sum += error * error;
            }
        return sum;
    }

    private static double LogMeanExp(ReadOnlySpan<double> values)
    {
        double max = double.NegativeInfinity;
        foreach (var v in values) max = Math.Max(max, v);
        double sum = 0;
        foreach (var v in values) sum += Math.Exp(v - max);
        return max + Math.Log(sum / values.Length);
    }
}

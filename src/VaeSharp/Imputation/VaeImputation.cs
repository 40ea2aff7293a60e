using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Imputation;

/// <summary>
/// Imputation with a trained masked VAE. Single imputation decodes the posterior mean; multiple imputation decodes
/// K posterior draws, optionally refined by pseudo-Gibbs sampling (Rezende et al. 2014; Mattei and Frellsen 2019):
/// the completed x is encoded again, as fully observed, and re-imputed, T times. Observed values are always kept.
/// </summary>
public static class VaeImputation
{
    /// <summary>Missing entries from the decoder's mean at z = mu(observed x): (Rows, Cols), observed values exact.</summary>
    /// <param name="model">A masked model whose input size is <c>data.Cols</c>.</param>
    /// <param name="data">The rows to complete.</param>
    /// <param name="batchSize">Rows per forward pass.</param>
    public static float[] Impute(VaeModel model, MissingData data, int batchSize = 1000)
    {
        RequireMasked(model, data);
        var result = data.Filled();
        ForEachBatch(data, batchSize, (start, rows) =>
        {
            var (x, mask) = Batch(data, result, start, rows);
            var mean = Decode(model, model.Encode(x, mask).Mu, x, mask); // (rows, cols)
            FillMissing(result, data.Mask, start, data.Cols, mean.Span);
        });
        return result;
    }

    /// <summary>K completed copies of <paramref name="data"/> and the per-entry spread across them.</summary>
    /// <param name="model">A masked model whose input size is <c>data.Cols</c>.</param>
    /// <param name="data">The rows to complete.</param>
    /// <param name="samples">K, the number of draws, at least 1.</param>
    /// <param name="iterations">Pseudo-Gibbs refinements T per draw, at least 0.</param>
    /// <param name="rng">Draws z.</param>
    /// <param name="batchSize">Rows per forward pass.</param>
    /// <param name="keepDraws">False sums the draws as they come and keeps none (<see cref="MultipleImputation.Draws"/> is then
    /// empty): two running arrays instead of K copies of the table.</param>
    public static MultipleImputation ImputeMultiple(VaeModel model, MissingData data, int samples, int iterations, Rng rng, int batchSize = 1000,
        bool keepDraws = true)
    {
        RequireMasked(model, data);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(iterations);
        var draws = new List<float[]>(); // K × (rows, cols), when kept
        var moments = new MultipleImputation.RunningMoments(data.Values.Length);
        for (int k = 0; k < samples; k++)
        {
            var draw = data.Filled();
            ForEachBatch(data, batchSize, (start, rows) =>
            {
                var (x, mask) = Batch(data, draw, start, rows);
                FillMissing(draw, data.Mask, start, data.Cols, DecodeDraw(model, x, mask, mask, rng));
                for (int t = 0; t < iterations; t++)
                {
                    // The completed rows go back in as fully observed: each step samples z given the last imputation.
                    (x, _) = Batch(data, draw, start, rows);
                    FillMissing(draw, data.Mask, start, data.Cols, DecodeDraw(model, x, null, mask, rng));
                }
            });
            moments.Add(draw);
            if (keepDraws) draws.Add(draw);
        }
        var (mean, deviation) = moments.Result();
        return new MultipleImputation(draws, mean, deviation);
    }

    /// <summary>Decodes a draw of z given what the encoder sees (<paramref name="encoderMask"/>) and what was observed.</summary>
    private static ReadOnlySpan<float> DecodeDraw(VaeModel model, Tensor x, Tensor? encoderMask, Tensor observedMask, Rng rng)
    {
        var (mu, logVar) = model.Encode(x, encoderMask);
        return Decode(model, VaeModel.Sample(mu, logVar, rng), x, observedMask).Span;
    }

    /// <summary>The decoder's mean at z; a conditional model also reads the observed entries.</summary>
    private static Tensor Decode(VaeModel model, Tensor z, Tensor x, Tensor observedMask) =>
        model.Spec.Conditional ? model.Decode(z, x, observedMask) : model.Decode(z);

    private static (Tensor X, Tensor Mask) Batch(MissingData data, float[] current, int start, int rows)
    {
        int cols = data.Cols;
        var x = Tensor.FromArray(current[(start * cols)..((start + rows) * cols)], rows, cols); // (rows, cols)
        var mask = new Tensor(new Shape(rows, cols)); // (rows, cols)
        var maskSpan = mask.Span;
        for (int i = 0; i < maskSpan.Length; i++) maskSpan[i] = data.Mask[start * cols + i];
        return (x, mask);
    }

    /// <summary>Writes a batch's guesses (rows, cols) into the missing entries of the rows from <paramref name="startRow"/>.</summary>
    private static void FillMissing(float[] destination, byte[] mask, int startRow, int cols, ReadOnlySpan<float> values)
    {
        int offset = startRow * cols;
        for (int i = 0; i < values.Length; i++)
            if (mask[offset + i] == 0) destination[offset + i] = values[i];
    }

    private static void ForEachBatch(MissingData data, int batchSize, Action<int, int> body)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        for (int start = 0; start < data.Rows; start += batchSize) body(start, Math.Min(batchSize, data.Rows - start));
    }

    private static void RequireMasked(VaeModel model, MissingData data)
    {
        if (!model.Spec.Masked) throw new ArgumentException("imputation needs a masked model; train one with masked: true (e.g. the impute-mlp preset)");
        if (model.InputSize != data.Cols) throw new ArgumentException($"the model reads {model.InputSize} features, the data has {data.Cols}");
    }
}

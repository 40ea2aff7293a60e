using VaeSharp.Autograd;
using VaeSharp.Data;
using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Evaluation;

/// <summary>
/// The evidence lower bound over a data set, per example, with β = 1; for a data set with a mask, the bound on its
/// observed part.
/// </summary>
/// <param name="NegativeElbo">−ELBO = reconstruction + KL, in nats per example.</param>
/// <param name="Reconstruction">The reconstruction term.</param>
/// <param name="Kl">The KL term.</param>
public readonly record struct ElboResult(double NegativeElbo, double Reconstruction, double Kl)
{
    /// <summary>
    /// Computes the −ELBO of <paramref name="model"/> on <paramref name="data"/> with one z sample per example, in passes
    /// of at most <paramref name="batchSize"/> examples (fewer for a wide conv model: <see cref="EvaluationRows"/>).
    /// </summary>
    public static ElboResult Evaluate(VaeModel model, Dataset data, int batchSize, Rng rng) =>
        Evaluate(model, data, batchSize, rng, new Tape(recording: false));

    /// <summary>
    /// As <see cref="Evaluate(VaeModel, Dataset, int, Rng)"/>, on a non-recording <paramref name="tape"/> that the
    /// caller keeps between calls: a fresh tape's buffers are tens of megabytes of large-object garbage per call,
    /// which the GC may leave uncollected for many calls.
    /// </summary>
    internal static ElboResult Evaluate(VaeModel model, Dataset data, int batchSize, Rng rng, Tape tape)
    {
        batchSize = EvaluationRows.For(model, batchSize);
        double reconstruction = 0, kl = 0;
        var indices = new int[batchSize];
        for (int start = 0; start < data.Count; start += batchSize)
        {
            tape.Reset(); // first, so a pass that threw last time leaves nothing on loan
            int rows = Math.Min(batchSize, data.Count - start);
            for (int i = 0; i < rows; i++) indices[i] = start + i;
            var x = tape.NewTensor(new Shape(rows, data.Features)); // x: (rows, features)
            data.CopyBatch(indices.AsSpan(0, rows), x.Span);
            Tensor? mask = null;
            if (data.Mask is not null && model.Spec.Masked)
            {
                mask = tape.NewTensor(x.Shape); // mask: (rows, features)
                data.CopyMaskBatch(indices.AsSpan(0, rows), mask.Span);
            }
            var loss = model.Loss(tape, Var.Constant(x), mask, rng, klWeight: 1f);
            reconstruction += loss.Reconstruction.Value.Span[0] * (double)rows;
            kl += loss.Kl.Value.Span[0] * (double)rows;
        }
        tape.Reset();
        reconstruction /= data.Count;
        kl /= data.Count;
        return new ElboResult(reconstruction + kl, reconstruction, kl);
    }
}

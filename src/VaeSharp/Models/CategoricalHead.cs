using VaeSharp.Autograd;
using VaeSharp.Tensors;

namespace VaeSharp.Models;

/// <summary>
/// The heterogeneous output of a Gaussian model with <see cref="ModelSpec.CategoricalBlocks"/>: numeric features keep
/// the Gaussian (squared-error) term, each one-hot block gets a softmax and the categorical cross-entropy.
/// </summary>
internal static class CategoricalHead
{
    /// <summary>The reconstruction term of logits (batch, in) against x over the observed entries (all when the mask is null).</summary>
    public static Var Reconstruction(Tape tape, Var logits, Var x, Tensor? mask, int[][] blocks)
    {
        var observed = mask ?? tape.NewTensor(x.Shape);
        if (mask is null) observed.Span.Fill(1f);
        var numeric = tape.NewTensor(x.Shape); // (batch, in): the observed mask with the blocks left out
        observed.Span.CopyTo(numeric.Span);
        for (int row = 0; row < x.Shape.Rows; row++)
            foreach (var block in blocks) numeric.Row(row).Slice(block[0], block[1]).Clear();
        return tape.Add(tape.MaskedSquaredError(logits, x.Value, numeric), tape.MaskedBlockCrossEntropy(logits, x.Value, observed, blocks));
    }

    /// <summary>Each block of a decoded batch (batch, in) turned into its softmax, in place.</summary>
    public static void Softmax(Tensor output, int[][] blocks)
    {
        foreach (var block in blocks)
            for (int row = 0; row < output.Shape.Rows; row++)
            {
                var z = output.Row(row).Slice(block[0], block[1]);
                float max = System.Numerics.Tensors.TensorPrimitives.Max(z);
                for (int c = 0; c < z.Length; c++) z[c] = MathF.Exp(z[c] - max);
                float sum = System.Numerics.Tensors.TensorPrimitives.Sum(z);
                for (int c = 0; c < z.Length; c++) z[c] /= sum;
            }
    }
}

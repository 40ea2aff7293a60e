using VaeSharp.Autograd;
using VaeSharp.Tensors;
using static VaeSharp.Tests.Autograd.GradientCheck;

namespace VaeSharp.Tests.Autograd;

public class MaskedLossTests
{
    private readonly Rng _rng = new(5);

    private Tensor Mask(params int[] dims)
    {
        var mask = Tensor.Zeros(dims);
        var span = mask.Span;
        for (int i = 0; i < span.Length; i++) span[i] = _rng.NextDouble() < 0.6 ? 1f : 0f;
        return mask;
    }

    [Fact]
    public void MaskedBinaryCrossEntropyGradient()
    {
        var (targets, mask) = (Uniform(_rng, 0, 1, 3, 5), Mask(3, 5));
        GradientCheck.Assert((tape, v) => tape.MaskedBinaryCrossEntropyWithLogits(v[0], targets, mask), [Uniform(_rng, -6, 6, 3, 5)]);
    }

    [Fact]
    public void MaskedBlockCrossEntropyGradientAndValue()
    {
        int[][] blocks = [[1, 3], [4, 2]];
        var targets = Tensor.FromArray([0.5f, 0, 1, 0, 1, 0, /**/ 2, 1, 0, 0, 0, 1, /**/ 0, 0, 0, 1, 1, 0], 3, 6);
        var mask = Tensor.FromArray([1f, 1, 1, 1, 0, 0, /**/ 1, 1, 1, 1, 1, 1, /**/ 0, 0, 0, 0, 1, 1], 3, 6);
        GradientCheck.Assert((tape, v) => tape.MaskedBlockCrossEntropy(v[0], targets, mask, blocks), [Uniform(_rng, -3, 3, 3, 6)]);
        // Equal logits: each observed block costs log(count); rows observe {3}, {3, 2} and {2} levels.
        var tape = new Tape(recording: false, pooled: false);
        var loss = tape.MaskedBlockCrossEntropy(Var.Constant(Tensor.Zeros(3, 6)), targets, mask, blocks);
        Xunit.Assert.Equal((2 * Math.Log(3) + 2 * Math.Log(2)) / 3, loss.Value.Span[0], 5);
    }

    [Fact]
    public void MaskedSquaredErrorGradient()
    {
        var (targets, mask) = (Uniform(_rng, 0, 1, 3, 5), Mask(3, 5));
        GradientCheck.Assert((tape, v) => tape.MaskedSquaredError(v[0], targets, mask), [Uniform(_rng, -1, 2, 3, 5)]);
    }

    [Fact]
    public void MissingEntriesAddNothingAndAllOnesMatchesTheUnmaskedLoss()
    {
        var tape = new Tape(recording: false, pooled: false);
        var prediction = Tensor.FromArray([0.5f, 2f, -1f, 0f], 2, 2);
        var target = Tensor.FromArray([0f, 1f, 1f, 0f], 2, 2);
        var mask = Tensor.FromArray([1f, 0f, 0f, 1f], 2, 2);
        // Observed: (0.5 − 0)² and (0 − 0)², over 2 rows.
        Xunit.Assert.Equal(0.125f, tape.MaskedSquaredError(Var.Constant(prediction), target, mask).Value.Span[0], 6);
        var ones = Tensor.FromArray([1f, 1f, 1f, 1f], 2, 2);
        Xunit.Assert.Equal(tape.SquaredError(Var.Constant(prediction), Var.Constant(target)).Value.Span[0],
            tape.MaskedSquaredError(Var.Constant(prediction), target, ones).Value.Span[0], 6);
        Xunit.Assert.Equal(tape.BinaryCrossEntropyWithLogits(Var.Constant(prediction), Var.Constant(target)).Value.Span[0],
            tape.MaskedBinaryCrossEntropyWithLogits(Var.Constant(prediction), target, ones).Value.Span[0], 5);
    }
}

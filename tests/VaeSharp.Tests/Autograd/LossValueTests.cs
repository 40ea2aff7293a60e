using VaeSharp.Autograd;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Autograd;

/// <summary>Loss values against numbers worked out by hand.</summary>
public class LossValueTests
{
    private static float Scalar(Var v) => v.Value.Span[0];

    [Fact]
    public void BinaryCrossEntropy_MatchesTheDefinition()
    {
        // z = 0 → p = ½: −[t log ½ + (1 − t) log ½] = log 2 per element, whatever t is. Two rows of two: 2·log 2 per row.
        var tape = new Tape(recording: false);
        var loss = tape.BinaryCrossEntropyWithLogits(Var.Constant(Tensor.Zeros(2, 2)),
            Var.Constant(Tensor.FromArray([0f, 1f, 0.3f, 1f], 2, 2)));
        Assert.Equal(2 * MathF.Log(2), Scalar(loss), 5);
    }

    [Fact]
    public void BinaryCrossEntropy_StaysFiniteAtExtremeLogits()
    {
        // z = ±100 with the wrong target costs about 100 nats; a naive log(sigmoid) would give infinity.
        var tape = new Tape(recording: false);
        var loss = tape.BinaryCrossEntropyWithLogits(Var.Constant(Tensor.FromArray([100f, -100f], 1, 2)),
            Var.Constant(Tensor.FromArray([0f, 1f], 1, 2)));
        Assert.Equal(200f, Scalar(loss), 3);
    }

    [Fact]
    public void BinaryCrossEntropy_VectorPathMatchesTheDefinitionAndItsGradient()
    {
        // 67 elements: long enough for the vector body and a scalar tail, with logits out to ±100.
        const int count = 67;
        var logits = new float[count];
        var targets = new float[count];
        for (int i = 0; i < count; i++)
        {
            logits[i] = (i % 5 == 0 ? 100f : 7f) * MathF.Sin(i);
            targets[i] = (i % 3) / 2f;
        }
        var tape = new Tape();
        var z = new Var(Tensor.FromArray(logits, 1, count), requiresGrad: true);
        var loss = tape.BinaryCrossEntropyWithLogits(z, Var.Constant(Tensor.FromArray(targets, 1, count)));
        tape.Backward(loss);
        double expected = 0;
        for (int i = 0; i < count; i++)
        {
            double p = 1 / (1 + Math.Exp(-(double)logits[i]));
            expected += Math.Max(logits[i], 0) - logits[i] * targets[i] + Math.Log(1 + Math.Exp(-Math.Abs((double)logits[i])));
            Assert.Equal(p - targets[i], z.Grad!.Span[i], 5);
        }
        Assert.Equal(expected, Scalar(loss), 2);
    }

    [Fact]
    public void BinaryCrossEntropy_NeverGivesASubnormalGradient()
    {
        // A background pixel (t = 0) whose logit has sunk: the exact gradient sigmoid(z) is 2e-22 at −50 (kept), 8e-35
        // at −77 (below 2^−100: zero), subnormal at −88 and −100 (zero); the loss is unchanged, 0 in float for all but −50.
        // 37 elements, so the vector body and the scalar tail both see each logit.
        float[] sunk = [-50f, -77f, -88f, -100f, -1000f];
        const int count = 37;
        float[] logits = [.. Enumerable.Range(0, count).Select(i => sunk[i % sunk.Length])];
        var tape = new Tape();
        var z = new Var(Tensor.FromArray(logits, 1, count), requiresGrad: true);
        var loss = tape.BinaryCrossEntropyWithLogits(z, Var.Constant(Tensor.Zeros(1, count)));
        tape.Backward(loss);
        for (int i = 0; i < count; i++)
        {
            float gradient = z.Grad!.Span[i];
            if (logits[i] == -50f) Assert.Equal((float)Math.Exp(-50), gradient, 1e-28f);
            else Assert.Equal(0f, gradient);
        }
        double expected = Enumerable.Range(0, count).Sum(i => Math.Log(1 + Math.Exp(logits[i])));
        Assert.Equal(expected, Scalar(loss), 1e-20);
    }

    [Fact]
    public void GaussianKl_IsZeroAtThePriorAndMatchesTheClosedForm()
    {
        var tape = new Tape(recording: false);
        Assert.Equal(0f, Scalar(tape.GaussianKl(Var.Constant(Tensor.Zeros(3, 2)), Var.Constant(Tensor.Zeros(3, 2)))));
        // mu = 1, logVar = log 4: ½(σ² + mu² − 1 − log σ²) = ½(4 + 1 − 1 − log 4) = 2 − log 2.
        var kl = tape.GaussianKl(Var.Constant(Tensor.FromArray([1f], 1, 1)), Var.Constant(Tensor.FromArray([MathF.Log(4)], 1, 1)));
        Assert.Equal(2 - MathF.Log(2), Scalar(kl), 5);
    }

    [Fact]
    public void GaussianKlBetween_IsZeroForEqualDistributionsAndMatchesTheClosedForm()
    {
        var tape = new Tape(recording: false);
        var mu = Var.Constant(Tensor.FromArray([0.3f, -1f, 2f, 0.5f], 2, 2));
        var logVar = Var.Constant(Tensor.FromArray([-1f, 0f, 0.7f, 1.2f], 2, 2));
        Assert.Equal(0f, Scalar(tape.GaussianKlBetween(mu, logVar, mu, logVar)), 6);
        // q = N(1, 1), p = N(0, 4): ½(log 4 − 0 + (1 + 1)/4 − 1) = log 2 − ¼.
        var one = Var.Constant(Tensor.FromArray([1f], 1, 1));
        var kl = tape.GaussianKlBetween(one, Var.Constant(Tensor.Zeros(1, 1)), Var.Constant(Tensor.Zeros(1, 1)), Var.Constant(Tensor.FromArray([MathF.Log(4)], 1, 1)));
        Assert.Equal(MathF.Log(2) - 0.25f, Scalar(kl), 5);
        // Against the standard normal it is the prior KL.
        var zeros = Var.Constant(Tensor.Zeros(2, 2));
        Assert.Equal(Scalar(tape.GaussianKl(mu, logVar)), Scalar(tape.GaussianKlBetween(mu, logVar, zeros, zeros)), 5);
    }

    [Fact]
    public void SoftmaxCrossEntropy_IsLogClassesForEqualLogitsAndStableForLargeOnes()
    {
        var tape = new Tape(recording: false);
        Assert.Equal(MathF.Log(4), Scalar(tape.SoftmaxCrossEntropy(Var.Constant(Tensor.Zeros(2, 4)), [1, 3])), 5);
        // Logits 1000 and 0: the right class costs ~0, the wrong one ~1000; a naive exp would overflow.
        var logits = Var.Constant(Tensor.FromArray([1000f, 0f, 1000f, 0f], 2, 2));
        Assert.Equal(500f, Scalar(tape.SoftmaxCrossEntropy(logits, [0, 1])), 2);
    }

    [Fact]
    public void SquaredError_SumsOverFeaturesAndAveragesOverRows()
    {
        var tape = new Tape(recording: false);
        var loss = tape.SquaredError(Var.Constant(Tensor.FromArray([1f, 2f, 0f, 0f], 2, 2)), Var.Constant(Tensor.Zeros(2, 2)));
        Assert.Equal(2.5f, Scalar(loss)); // (1 + 4 + 0 + 0) / 2
    }

    [Fact]
    public void Reparameterize_UsesHalfTheLogVariance()
    {
        // logVar = log 9 → σ = 3: z = 1 + 3·2 = 7.
        var tape = new Tape(recording: false);
        var z = tape.Reparameterize(Var.Constant(Tensor.FromArray([1f], 1, 1)),
            Var.Constant(Tensor.FromArray([MathF.Log(9)], 1, 1)), Var.Constant(Tensor.FromArray([2f], 1, 1)));
        Assert.Equal(7f, Scalar(z), 5);
    }
}

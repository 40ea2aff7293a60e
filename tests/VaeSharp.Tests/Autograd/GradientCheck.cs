using VaeSharp.Autograd;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Autograd;

/// <summary>
/// Compares an op's analytic gradient with central finite differences of L = Σ f(inputs) ⊙ R, where R is a
/// fixed random weighting so that every output element matters. L is summed in double to keep float32 noise low.
/// The analytic gradient is taken twice: on a fresh unpooled tape, and on a pooled tape that has already served a
/// different step, as training reuses one, so an op that trusts a rented buffer to be zero or stale-free fails.
/// </summary>
internal static class GradientCheck
{
    public static void Assert(Func<Tape, Var[], Var> function, Tensor[] inputs, ulong seed = 7,
        float step = 1e-2f, double absoluteTolerance = 2e-3, double relativeTolerance = 2e-2)
    {
        var rng = new Rng(seed);
        var probeTape = new Tape(recording: false, pooled: false);
        var outputShape = function(probeTape, inputs.Select(Var.Constant).ToArray()).Shape;
        var weights = RandomWeights(rng, outputShape.Size);

        var fresh = AnalyticGradients(new Tape(recording: true, pooled: false), function, inputs, weights);
        // The earlier step sees the inputs reversed (same value range, so masks stay 0/1) and another weighting.
        var pooledTape = new Tape(recording: true, pooled: true);
        AnalyticGradients(pooledTape, function, inputs.Select(Reversed).ToArray(), RandomWeights(rng, outputShape.Size));
        pooledTape.Reset();
        var pooled = AnalyticGradients(pooledTape, function, inputs, weights);

        for (int input = 0; input < inputs.Length; input++)
        {
            var values = inputs[input].Span;
            for (int i = 0; i < values.Length; i++)
            {
                double numeric = CentralDifference(values, i, step, () => WeightedSum(function, inputs, weights));
                double tolerance = absoluteTolerance + relativeTolerance * Math.Abs(numeric);
                Xunit.Assert.True(Math.Abs(fresh[input][i] - numeric) <= tolerance,
                    $"input {input}, element {i}: analytic {fresh[input][i]}, numeric {numeric}");
                Xunit.Assert.True(Math.Abs(pooled[input][i] - numeric) <= tolerance,
                    $"input {input}, element {i} on a reused pooled tape: analytic {pooled[input][i]}, numeric {numeric}");
            }
        }
    }

    /// <summary>Each input's gradient of Σ f(inputs) ⊙ R on <paramref name="tape"/>, copied out before any reset.</summary>
    private static float[][] AnalyticGradients(Tape tape, Func<Tape, Var[], Var> function, Tensor[] inputs, float[] weights)
    {
        var leaves = inputs.Select(t => new Var(t, requiresGrad: true)).ToArray();
        var output = function(tape, leaves);
        var weighted = tape.Sum(tape.Mul(output, Var.Constant(new Tensor(output.Shape, weights))));
        tape.Backward(weighted);
        return leaves.Select((leaf, i) => leaf.Grad?.ToArray() ?? new float[inputs[i].Size]).ToArray();
    }

    private static float[] RandomWeights(Rng rng, int size)
    {
        var weights = new float[size];
        for (int i = 0; i < weights.Length; i++) weights[i] = rng.NextUniform(-1f, 1f);
        return weights;
    }

    private static Tensor Reversed(Tensor tensor)
    {
        var values = tensor.Span.ToArray();
        Array.Reverse(values);
        return new Tensor(tensor.Shape, values);
    }

    /// <summary>
    /// (L(v + h) − L(v − h)) / 2h for the entry <paramref name="index"/> of <paramref name="values"/>, which
    /// <paramref name="loss"/> reads; the entry is restored to its exact value afterwards.
    /// </summary>
    public static double CentralDifference(Span<float> values, int index, float step, Func<double> loss)
    {
        float saved = values[index];
        values[index] = saved + step;
        double plus = loss();
        values[index] = saved - step;
        double minus = loss();
        values[index] = saved;
        return (plus - minus) / (2 * step);
    }

    private static double WeightedSum(Func<Tape, Var[], Var> function, Tensor[] inputs, float[] weights)
    {
        var output = function(new Tape(recording: false, pooled: false), inputs.Select(Var.Constant).ToArray()).Value.Span;
        double sum = 0;
        for (int i = 0; i < output.Length; i++) sum += (double)output[i] * weights[i];
        return sum;
    }

    /// <summary>A tensor of uniform values in [low, high).</summary>
    public static Tensor Uniform(Rng rng, float low, float high, params int[] dims)
    {
        var tensor = Tensor.Zeros(dims);
        var span = tensor.Span;
        for (int i = 0; i < span.Length; i++) span[i] = rng.NextUniform(low, high);
        return tensor;
    }

    /// <summary>Uniform values whose magnitude is at least <paramref name="gap"/>, for ops with a kink at 0.</summary>
    public static Tensor AwayFromZero(Rng rng, float gap, float high, params int[] dims)
    {
        var tensor = Uniform(rng, gap, high, dims);
        var span = tensor.Span;
        for (int i = 0; i < span.Length; i++) if (rng.NextDouble() < 0.5) span[i] = -span[i];
        return tensor;
    }
}

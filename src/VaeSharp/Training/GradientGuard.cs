using System.Numerics.Tensors;
using VaeSharp.Nn;

namespace VaeSharp.Training;

/// <summary>
/// Checks the gradients after backward and before the optimizer step, and optionally clips their global L2 norm.
/// Both use one pass over the flat gradient buffer: its sum of squares is finite exactly when every gradient is finite
/// and the norm fits in float32, so the per-tensor search runs only on the failure path.
/// </summary>
internal static class GradientGuard
{
    /// <exception cref="TrainingDivergedException">A gradient is NaN or infinite, or their norm overflows float32.</exception>
    public static void CheckAndClip(ParameterSet parameters, float? maxNorm, int epoch, int batch)
    {
        var gradients = parameters.Gradients; // (Count)
        float sumOfSquares = TensorPrimitives.SumOfSquares(gradients);
        if (!float.IsFinite(sumOfSquares)) throw Describe(parameters, epoch, batch);
        if (maxNorm is float limit && sumOfSquares > limit * limit)
            TensorPrimitives.Multiply(gradients, limit / MathF.Sqrt(sumOfSquares), gradients);
    }

    private static TrainingDivergedException Describe(ParameterSet parameters, int epoch, int batch)
    {
        string where = $"at epoch {epoch}, batch {batch}";
        foreach (var (name, parameter) in parameters.Entries)
        {
            foreach (float g in parameter.Grad!.Span)
                if (!float.IsFinite(g))
                    return new TrainingDivergedException(epoch, batch, $"gradient of {name} is {(float.IsNaN(g) ? "NaN" : g > 0 ? "+Infinity" : "-Infinity")} {where}");
        }
        // Every gradient is finite but their squares are not: some exceed about 1.8e19, which is divergence too.
        var (largestName, largest) = parameters.Entries
            .Select(entry => (entry.Name, TensorPrimitives.MaxMagnitude(entry.Parameter.Grad!.Span)))
            .MaxBy(pair => MathF.Abs(pair.Item2));
        return new TrainingDivergedException(epoch, batch, $"gradient norm overflows float32 (gradient of {largestName} reaches {largest:G3}) {where}");
    }
}

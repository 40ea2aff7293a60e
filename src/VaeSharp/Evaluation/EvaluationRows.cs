using VaeSharp.Models;

namespace VaeSharp.Evaluation;

/// <summary>
/// How many examples one evaluation pass runs at once: the batch asked for, or fewer when one layer's output for that
/// many would pass <see cref="LayerOutputFloats"/>. A conv model's layers are 12,544 to 25,088 floats per example, so
/// at the usual evaluation batch of 1000 each output alone is 50 to 100 MB; capped, evaluation peaks near training.
/// </summary>
public static class EvaluationRows
{
    /// <summary>The most floats one layer's output may hold in an evaluation pass: 4 Mi, 16 MiB.</summary>
    public const int LayerOutputFloats = 1 << 22;

    /// <summary>At most <paramref name="batchSize"/> rows, and never so many that a layer's output passes the cap; at least 1.</summary>
    public static int For(VaeModel model, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int widest = model.Summary().Max(layer => layer.OutputShape.Size);
        return Math.Clamp(LayerOutputFloats / widest, 1, batchSize);
    }
}

using VaeSharp.Data;
using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Evaluation;

/// <summary>The encoder's means for a whole data set, computed in batches so only bytes are held at full size.</summary>
public static class LatentMeans
{
    /// <summary>mu for every example: (count, latent), row-major.</summary>
    public static float[] Compute(VaeModel model, Dataset data, int batchSize = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var means = new float[(long)data.Count * model.LatentSize];
        var indices = new int[batchSize];
        var x = new float[batchSize * data.Features]; // x: (batch, features)
        for (int start = 0; start < data.Count; start += batchSize)
        {
            int rows = Math.Min(batchSize, data.Count - start);
            for (int i = 0; i < rows; i++) indices[i] = start + i;
            data.CopyBatch(indices.AsSpan(0, rows), x.AsSpan(0, rows * data.Features));
            var mu = model.Transform(new Tensor(new Shape(rows, data.Features), x));
            mu.Span.CopyTo(means.AsSpan(start * model.LatentSize));
        }
        return means;
    }
}

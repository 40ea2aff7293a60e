using VaeSharp.Data;
using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Evaluation;

/// <summary>The encoder's means for a data set, computed in batches so only bytes are held at full size.</summary>
public static class LatentMeans
{
    /// <summary>mu for the first <paramref name="count"/> examples (all when fewer): (count, latent), row-major.</summary>
    public static float[] Compute(VaeModel model, Dataset data, int count = int.MaxValue, int batchSize = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (data.Features != model.InputSize) throw new ArgumentException($"the data has {data.Features} features but the model takes {model.InputSize}", nameof(data));
        count = Math.Min(count, data.Count);
        var means = new float[(long)count * model.LatentSize];
        var x = new float[batchSize * data.Features]; // x: (batch, features)
        for (int start = 0; start < count; start += batchSize)
        {
            int rows = Math.Min(batchSize, count - start);
            data.CopyRange(start, rows, x.AsSpan(0, rows * data.Features));
            var mu = model.Transform(new Tensor(new Shape(rows, data.Features), x));
            mu.Span.CopyTo(means.AsSpan(start * model.LatentSize));
        }
        return means;
    }

    /// <summary>The means of the first <paramref name="max"/> examples as a (count, latent) tensor, with their labels when the data has them.</summary>
    public static (Tensor Means, byte[]? Labels) Encode(VaeModel model, Dataset data, int max = int.MaxValue)
    {
        var means = Compute(model, data, max);
        int count = means.Length / model.LatentSize;
        return (new Tensor(new Shape(count, model.LatentSize), means), data.Labels?[..count]);
    }
}

using VaeSharp.Data;
using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Plotting;

/// <summary>Encodes a dataset into its latent means, batch by batch, for scatter plots.</summary>
public static class LatentMeans
{
    private const int BatchSize = 1000;

    /// <summary>The means of the first <paramref name="max"/> examples (all when fewer): (count, latent), and their labels when the data has them.</summary>
    public static (Tensor Means, byte[]? Labels) Encode(VaeModel model, Dataset data, int max = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        if (data.Features != model.InputSize) throw new ArgumentException($"the data has {data.Features} features but the model takes {model.InputSize}", nameof(data));
        int count = Math.Min(max, data.Count);
        var means = new Tensor(new Shape(count, model.LatentSize)); // means: (count, latent)
        for (int start = 0; start < count; start += BatchSize)
        {
            int size = Math.Min(BatchSize, count - start);
            var batch = new Tensor(new Shape(size, data.Features)); // batch: (size, features)
            data.CopyBatch([.. Enumerable.Range(start, size)], batch.Span);
            model.Transform(batch).Span.CopyTo(means.Span[(start * model.LatentSize)..]);
        }
        return (means, data.Labels?[..count]);
    }
}

using VaeSharp.Data;

namespace VaeSharp.Imputation;

/// <summary>Images and masks as <see cref="MissingData"/>: pixels as floats in [0, 1], the truth kept under the mask.</summary>
public static class ImageImputationData
{
    /// <summary>The first <paramref name="count"/> images of <paramref name="data"/> with the matching rows of <paramref name="mask"/>.</summary>
    /// <param name="data">The images.</param>
    /// <param name="mask">Masks for at least the first <paramref name="count"/> images, (rows, Features), 1 observed.</param>
    /// <param name="count">How many images, from the first.</param>
    public static MissingData FirstRows(Dataset data, byte[] mask, int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, data.Count);
        if (mask.LongLength < (long)count * data.Features || mask.LongLength % data.Features != 0)
            throw new ArgumentException($"{mask.LongLength} mask values do not cover {count} images of {data.Features} pixels");
        var values = new float[count * data.Features]; // (count, features)
        data.CopyBatch(Enumerable.Range(0, count).ToArray(), values);
        return new MissingData(values, mask[..(count * data.Features)], count, data.Features);
    }
}

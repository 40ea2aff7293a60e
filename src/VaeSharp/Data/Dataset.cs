namespace VaeSharp.Data;

/// <summary>
/// Grayscale images kept as bytes (a quarter of the memory of floats), with optional labels. Batches are converted
/// to floats in [0, 1] only when they are copied out with <see cref="CopyBatch"/>.
/// </summary>
public sealed class Dataset
{
    /// <summary>Number of label classes (digits 0 to 9).</summary>
    public const int ClassCount = 10;

    /// <summary>Wraps the given arrays without copying them; the caller must not change them afterwards.</summary>
    /// <param name="pixels">Image bytes, (count, rows·cols) row-major.</param>
    /// <param name="labels">One label per image, or null when the data is unlabelled.</param>
    /// <param name="count">Number of images.</param>
    /// <param name="rows">Image height.</param>
    /// <param name="cols">Image width.</param>
    /// <param name="source">Where the data came from, for messages and reports.</param>
    public Dataset(byte[] pixels, byte[]? labels, int count, int rows, int cols, string source)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        // Int128: three int factors can overflow a long, and a wrapped product could match by accident.
        if ((Int128)count * rows * cols != pixels.LongLength || (long)rows * cols > Array.MaxLength)
            throw new ArgumentException($"pixels has {pixels.Length} bytes, expected {count}·{rows}·{cols}", nameof(pixels));
        if (labels is not null && labels.Length != count)
            throw new ArgumentException($"labels has {labels.Length} entries, expected {count}", nameof(labels));
        Pixels = pixels;
        Labels = labels;
        Count = count;
        Rows = rows;
        Cols = cols;
        Source = source;
    }

    /// <summary>Image bytes, (Count, Features) row-major; 0 is background.</summary>
    public byte[] Pixels { get; }

    /// <summary>One label per image, or null when the data is unlabelled (for example Kaggle's test.csv).</summary>
    public byte[]? Labels { get; }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Image height in pixels.</summary>
    public int Rows { get; }

    /// <summary>Image width in pixels.</summary>
    public int Cols { get; }

    /// <summary>Pixels per image, Rows·Cols.</summary>
    public int Features => Rows * Cols;

    /// <summary>Where the data came from, for messages and reports.</summary>
    public string Source { get; }

    /// <summary>
    /// Which pixels a masked model may see, (Count, Features), 1 observed and 0 missing; null when all are observed.
    /// Fixed per example, so every epoch hides the same pixels.
    /// </summary>
    public byte[]? Mask { get; private init; }

    /// <summary>The same images (shared, not copied) with <paramref name="mask"/> attached.</summary>
    /// <param name="mask">(Count, Features): 1 observed, 0 missing.</param>
    public Dataset WithMask(byte[] mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.LongLength != Pixels.LongLength)
            throw new ArgumentException($"mask has {mask.Length} entries, expected {Count}·{Features}", nameof(mask));
        return new Dataset(Pixels, Labels, Count, Rows, Cols, Source) { Mask = mask };
    }

    /// <summary>Copies the masks of <paramref name="indices"/> as floats 0 or 1; all ones when there is no mask.</summary>
    /// <param name="indices">Which images, in batch order.</param>
    /// <param name="destination">(indices.Length, Features) row-major.</param>
    public void CopyMaskBatch(ReadOnlySpan<int> indices, Span<float> destination)
    {
        int features = Features;
        if (destination.Length != (long)indices.Length * features)
            throw new ArgumentException(
                $"destination has {destination.Length} floats, expected {indices.Length}·{features}", nameof(destination));
        if (Mask is null)
        {
            destination.Fill(1f);
            return;
        }
        for (int row = 0; row < indices.Length; row++)
        {
            ReadOnlySpan<byte> mask = Mask.AsSpan(CheckIndex(indices[row], nameof(indices)) * features, features);
            Span<float> target = destination.Slice(row * features, features);
            for (int j = 0; j < features; j++) target[j] = mask[j];
        }
    }

    /// <summary>Copies images start … start + count − 1, in order, into <paramref name="destination"/> as floats, byte/255.</summary>
    /// <param name="start">The first image.</param>
    /// <param name="count">How many images.</param>
    /// <param name="destination">(count, Features) row-major.</param>
    public void CopyRange(int start, int count, Span<float> destination)
    {
        if (start < 0 || count < 0 || start > Count - count)
            throw new ArgumentOutOfRangeException(nameof(count), $"images {start}..{start + count - 1} are outside 0..{Count - 1}");
        if (destination.Length != (long)count * Features)
            throw new ArgumentException($"destination has {destination.Length} floats, expected {count}·{Features}", nameof(destination));
        ReadOnlySpan<byte> pixels = Pixels.AsSpan(start * Features, count * Features);
        for (int i = 0; i < pixels.Length; i++) destination[i] = pixels[i] / 255f;
    }

    /// <summary>Copies the images at <paramref name="indices"/> into <paramref name="destination"/> as floats, byte/255.</summary>
    /// <param name="indices">Which images, in batch order; repeats are allowed.</param>
    /// <param name="destination">(indices.Length, Features) row-major.</param>
    public void CopyBatch(ReadOnlySpan<int> indices, Span<float> destination)
    {
        int features = Features;
        if (destination.Length != (long)indices.Length * features)
            throw new ArgumentException(
                $"destination has {destination.Length} floats, expected {indices.Length}·{features}", nameof(destination));
        for (int row = 0; row < indices.Length; row++)
        {
            int index = CheckIndex(indices[row], nameof(indices));
            ReadOnlySpan<byte> image = Pixels.AsSpan(index * features, features);
            Span<float> target = destination.Slice(row * features, features);
            for (int j = 0; j < features; j++) target[j] = image[j] / 255f;
        }
    }

    /// <summary>A copy of the first <paramref name="count"/> images (and labels).</summary>
    public Dataset Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        return new Dataset(
            Pixels.AsSpan(0, count * Features).ToArray(),
            Labels?.AsSpan(0, count).ToArray(),
            count, Rows, Cols, $"{Source} (first {count})") { Mask = Mask?.AsSpan(0, count * Features).ToArray() };
    }

    /// <summary>A copy of the images (and labels) at <paramref name="indices"/>, in that order.</summary>
    public Dataset Subset(ReadOnlySpan<int> indices)
    {
        int features = Features;
        var pixels = new byte[(long)indices.Length * features];
        byte[]? labels = Labels is null ? null : new byte[indices.Length];
        byte[]? mask = Mask is null ? null : new byte[pixels.Length];
        for (int row = 0; row < indices.Length; row++)
        {
            int index = CheckIndex(indices[row], nameof(indices));
            Pixels.AsSpan(index * features, features).CopyTo(pixels.AsSpan(row * features));
            Mask?.AsSpan(index * features, features).CopyTo(mask.AsSpan(row * features));
            if (labels is not null) labels[row] = Labels![index];
        }
        return new Dataset(pixels, labels, indices.Length, Rows, Cols, $"{Source} (subset of {indices.Length})") { Mask = mask };
    }

    /// <summary>How many images carry each label 0 to 9.</summary>
    /// <exception cref="InvalidOperationException">The data is unlabelled, or a label is outside 0 to 9.</exception>
    public int[] LabelHistogram()
    {
        if (Labels is null) throw new InvalidOperationException($"{Source} has no labels");
        var counts = new int[ClassCount];
        for (int i = 0; i < Labels.Length; i++)
        {
            if (Labels[i] >= ClassCount)
                throw new InvalidOperationException($"label {Labels[i]} of image {i} is outside 0..9 ({Source})");
            counts[Labels[i]]++;
        }
        return counts;
    }

    private int CheckIndex(int index, string parameterName)
    {
        if ((uint)index >= (uint)Count)
            throw new ArgumentOutOfRangeException(parameterName, $"index {index} is outside 0..{Count - 1}");
        return index;
    }
}

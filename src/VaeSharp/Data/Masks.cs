using VaeSharp.Tensors;

namespace VaeSharp.Data;

/// <summary>
/// Draws missing-data masks, one byte per feature: 1 observed, 0 missing. A mask set depends only on its kind,
/// fraction, size and seed, so an experiment can be repeated exactly.
/// </summary>
public static class Masks
{
    /// <summary>The rows a line mask draws from, inclusive: the band of a 28×28 digit where the strokes are.</summary>
    public const int LineRowFirst = 5, LineRowLast = 22;

    /// <summary>The columns a line mask draws from, inclusive.</summary>
    public const int LineColFirst = 8, LineColLast = 19;

    /// <summary>Masks for <paramref name="count"/> examples: (count, rows·cols), 1 observed and 0 missing.</summary>
    /// <param name="kind">Pixel or line.</param>
    /// <param name="fraction">The missing fraction, in [0, 1].</param>
    /// <param name="count">Examples.</param>
    /// <param name="rows">Image height; a line mask needs 28.</param>
    /// <param name="cols">Image width; a line mask needs 28.</param>
    /// <param name="rng">The draws, example by example.</param>
    public static byte[] Create(MaskKind kind, double fraction, int count, int rows, int cols, Rng rng)
    {
        if (!(fraction >= 0 && fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the missing fraction must be in [0, 1]");
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int features = rows * cols;
        var mask = new byte[(long)count * features];
        mask.AsSpan().Fill(1);
        for (int example = 0; example < count; example++)
        {
            var row = mask.AsSpan(example * features, features);
            if (kind == MaskKind.Pixel) HidePixels(row, fraction, rng);
            else HideLines(row, fraction, rows, cols, rng);
        }
        return mask;
    }

    /// <summary>
    /// The masks of a train and a test set for one kind and fraction: both drawn from Rng(seed), the training set's
    /// first, so that training, <c>vae masks make</c> and evaluation agree for the same seed.
    /// </summary>
    public static (byte[] Train, byte[] Test) CreateSplits(MaskKind kind, double fraction, int trainCount, int testCount, int rows, int cols, ulong seed)
    {
        var rng = new Rng(seed);
        var train = Create(kind, fraction, trainCount, rows, cols, rng);
        return (train, Create(kind, fraction, testCount, rows, cols, rng));
    }

    /// <summary>Lines drawn per axis for a missing fraction f: s = round(28·f/2), halves rounded away from zero.</summary>
    public static int LinesPerAxis(double fraction) => (int)Math.Round(28 * fraction / 2, MidpointRounding.AwayFromZero);

    /// <summary>The fraction of zeros in <paramref name="mask"/>.</summary>
    public static double MissingFraction(ReadOnlySpan<byte> mask)
    {
        return mask.IsEmpty ? 0 : (double)mask.Count((byte)0) / mask.Length;
    }

    /// <summary>The mask as floats (0 or 1), the form the loss ops take.</summary>
    public static float[] ToFloats(ReadOnlySpan<byte> mask)
    {
        var values = new float[mask.Length];
        for (int i = 0; i < mask.Length; i++) values[i] = mask[i];
        return values;
    }

    private static void HidePixels(Span<byte> mask, double fraction, Rng rng)
    {
        Span<double> draws = mask.Length <= 1024 ? stackalloc double[mask.Length] : new double[mask.Length]; // (features)
        rng.FillUniform(draws);
        for (int i = 0; i < mask.Length; i++)
            mask[i] = draws[i] < fraction ? (byte)0 : (byte)1;
    }

    private static void HideLines(Span<byte> mask, double fraction, int rows, int cols, Rng rng)
    {
        if (rows != 28 || cols != 28) throw new ArgumentException($"line masks are defined for 28×28 images, not {rows}×{cols}");
        int lines = LinesPerAxis(fraction);
        // With replacement, as defined: a repeated draw hides the same line twice, so the hidden share can be lower than f.
        for (int i = 0; i < lines; i++)
        {
            int row = LineRowFirst + rng.NextInt(LineRowLast - LineRowFirst + 1);
            mask.Slice(row * cols, cols).Clear();
        }
        for (int i = 0; i < lines; i++)
        {
            int col = LineColFirst + rng.NextInt(LineColLast - LineColFirst + 1);
            for (int row = 0; row < rows; row++) mask[row * cols + col] = 0;
        }
    }
}

namespace VaeSharp.Plotting;

/// <summary>
/// Lays inputs and their reconstructions out in bands, as the Keras tutorial shows them: in each band a row of
/// inputs above the row of their reconstructions, the bands parted by a gray line.
/// </summary>
public static class ReconstructionGrid
{
    /// <summary>Pairs per band.</summary>
    public const int PairsPerRow = 10;

    private const byte SeparatorLevel = 128;

    /// <summary>The size in pixels of the grid for <paramref name="count"/> pairs.</summary>
    public static (int Width, int Height) Size(int count, int imageHeight, int imageWidth, int scale = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        int columns = Math.Min(count, PairsPerRow), bands = (count + PairsPerRow - 1) / PairsPerRow;
        var (width, bandHeight) = ImageGrid.GridSize(2, columns, imageHeight, imageWidth, scale);
        long height = (long)bands * bandHeight + (long)(bands - 1) * Separator(scale);
        PictureTooLargeException.ThrowIfTooLarge(width, height, 1);
        return (width, (int)height);
    }

    /// <summary>Tiles the pairs into (height, width) gray pixels as <see cref="Size"/> gives them.</summary>
    /// <param name="inputs">(count, imageHeight·imageWidth) values in [0, 1].</param>
    /// <param name="reconstructions">The same shape: the reconstruction of each input.</param>
    /// <param name="count">Number of pairs, at least 1.</param>
    /// <param name="imageHeight">Rows of one image.</param>
    /// <param name="imageWidth">Columns of one image.</param>
    /// <param name="scale">Nearest-neighbour enlargement.</param>
    public static byte[] Tile(ReadOnlySpan<float> inputs, ReadOnlySpan<float> reconstructions, int count, int imageHeight, int imageWidth, int scale = 1)
    {
        var (width, height) = Size(count, imageHeight, imageWidth, scale);
        int imageSize = imageHeight * imageWidth;
        if (inputs.Length != (long)count * imageSize || reconstructions.Length != inputs.Length)
            throw new ArgumentException($"expected {count} inputs and {count} reconstructions of {imageHeight}x{imageWidth}");
        int columns = Math.Min(count, PairsPerRow);
        var pixels = new byte[width * height]; // (height, width)
        var band = new float[2 * columns * imageSize]; // band: (2·columns, imageSize): inputs, then reconstructions
        int bandHeight = ImageGrid.GridSize(2, columns, imageHeight, imageWidth, scale).Height;
        int separator = Separator(scale);
        for (int first = 0, top = 0; first < count; first += columns, top += bandHeight + separator)
        {
            int pairs = Math.Min(columns, count - first);
            Array.Clear(band);
            inputs.Slice(first * imageSize, pairs * imageSize).CopyTo(band);
            reconstructions.Slice(first * imageSize, pairs * imageSize).CopyTo(band.AsSpan(columns * imageSize));
            ImageGrid.Tile(band, 2 * columns, 2, columns, imageHeight, imageWidth, scale).CopyTo(pixels.AsSpan(top * width));
            if (first + columns < count) pixels.AsSpan((top + bandHeight) * width, separator * width).Fill(SeparatorLevel);
        }
        return pixels;
    }

    private static int Separator(int scale) => 2 * scale;
}

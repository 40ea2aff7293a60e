namespace VaeSharp.Plotting;

/// <summary>
/// Lays grayscale images (digits, reconstructions, samples) out in a grid, enlarged by an integer factor,
/// as one 8-bit pixel buffer ready for <see cref="Png.WriteGray"/>.
/// </summary>
/// <remarks>
/// Images fill the grid row by row. Cells past <c>count</c> and the <c>padding</c> lines, which run between the
/// cells and around the border, are black (0). Values are clamped to [0, 1] (NaN counts as 0) and rounded to
/// the nearest of 0..255.
/// </remarks>
public static class ImageGrid
{
    /// <summary>The size in pixels of the grid that <see cref="Tile"/> returns.</summary>
    /// <param name="rows">Cells down, at least 1.</param>
    /// <param name="cols">Cells across, at least 1.</param>
    /// <param name="imageHeight">Rows of one image, at least 1.</param>
    /// <param name="imageWidth">Columns of one image, at least 1.</param>
    /// <param name="scale">Nearest-neighbour enlargement, at least 1.</param>
    /// <param name="padding">Black pixels between cells and around the border, at least 0.</param>
    public static (int Width, int Height) GridSize(int rows, int cols, int imageHeight, int imageWidth, int scale = 1, int padding = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageHeight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        long width = cols * ((long)imageWidth * scale + padding) + padding;
        long height = rows * ((long)imageHeight * scale + padding) + padding;
        PictureTooLargeException.ThrowIfTooLarge(width, height, 1);
        return ((int)width, (int)height);
    }

    /// <summary>Tiles <paramref name="count"/> images into a grid and returns its (height, width) pixels, row-major.</summary>
    /// <param name="images">(count, imageHeight * imageWidth) values in [0, 1], each image row-major.</param>
    /// <param name="count">Number of images, from 0 to rows * cols.</param>
    /// <param name="rows">Cells down, at least 1.</param>
    /// <param name="cols">Cells across, at least 1.</param>
    /// <param name="imageHeight">Rows of one image, at least 1.</param>
    /// <param name="imageWidth">Columns of one image, at least 1.</param>
    /// <param name="scale">Nearest-neighbour enlargement, at least 1.</param>
    /// <param name="padding">Black pixels between cells and around the border, at least 0.</param>
    public static byte[] Tile(ReadOnlySpan<float> images, int count, int rows, int cols, int imageHeight, int imageWidth, int scale = 1, int padding = 0)
    {
        var (width, height) = GridSize(rows, cols, imageHeight, imageWidth, scale, padding);
        if (count < 0 || count > (long)rows * cols)
            throw new ArgumentOutOfRangeException(nameof(count), $"{count} images do not fit a {rows}x{cols} grid");
        int imageSize = imageHeight * imageWidth;
        if (images.Length != (long)count * imageSize)
            throw new ArgumentException($"{images.Length} values are not {count} images of {imageHeight}x{imageWidth}", nameof(images));

        var pixels = new byte[width * height]; // (height, width)
        for (int index = 0; index < count; index++)
        {
            var image = images.Slice(index * imageSize, imageSize); // (imageHeight, imageWidth)
            int top = padding + index / cols * (imageHeight * scale + padding);
            int left = padding + index % cols * (imageWidth * scale + padding);
            for (int y = 0; y < imageHeight; y++)
            {
                // One enlarged row is built once and copied to the scale output rows it covers.
                var firstRow = pixels.AsSpan((top + y * scale) * width + left, imageWidth * scale);
                for (int x = 0; x < imageWidth; x++) firstRow.Slice(x * scale, scale).Fill(ToByte(image[y * imageWidth + x]));
                for (int repeat = 1; repeat < scale; repeat++)
                    firstRow.CopyTo(pixels.AsSpan((top + y * scale + repeat) * width + left, imageWidth * scale));
            }
        }
        return pixels;
    }

    /// <summary>Tiles the images as <see cref="Tile"/> does and writes the grid as a grayscale PNG.</summary>
    /// <param name="destination">Where the PNG goes; it is not flushed or closed.</param>
    /// <param name="images">(count, imageHeight * imageWidth) values in [0, 1], each image row-major.</param>
    /// <param name="count">Number of images, from 0 to rows * cols.</param>
    /// <param name="rows">Cells down, at least 1.</param>
    /// <param name="cols">Cells across, at least 1.</param>
    /// <param name="imageHeight">Rows of one image, at least 1.</param>
    /// <param name="imageWidth">Columns of one image, at least 1.</param>
    /// <param name="scale">Nearest-neighbour enlargement, at least 1.</param>
    /// <param name="padding">Black pixels between cells and around the border, at least 0.</param>
    public static void WriteGridPng(Stream destination, ReadOnlySpan<float> images, int count, int rows, int cols, int imageHeight, int imageWidth, int scale = 1, int padding = 0)
    {
        var (width, height) = GridSize(rows, cols, imageHeight, imageWidth, scale, padding);
        Png.WriteGray(destination, width, height, Tile(images, count, rows, cols, imageHeight, imageWidth, scale, padding));
    }

    private static byte ToByte(float value) =>
        float.IsNaN(value) ? (byte)0 : (byte)MathF.Round(Math.Clamp(value, 0f, 1f) * 255f, MidpointRounding.AwayFromZero);
}

namespace VaeSharp.Data;

/// <summary>
/// Loads MNIST from a data folder that holds the four IDX files, plain or with <c>.gz</c> (see
/// <see cref="DataDirectory"/> for where that folder is, and <see cref="MnistFetcher"/> for filling it).
/// </summary>
public static class Mnist
{
    /// <summary>Side of an MNIST image in pixels.</summary>
    public const int ImageSide = 28;

    /// <summary>The 60,000 training images and labels.</summary>
    /// <exception cref="MissingDataException">A file is in neither plain nor gzip'd form in <paramref name="dir"/>.</exception>
    /// <exception cref="DataFormatException">A file is malformed, not 28×28, or has a label outside 0 to 9.</exception>
    public static Dataset LoadTrain(string dir) => Load(dir, MnistFiles.TrainImages, MnistFiles.TrainLabels);

    /// <summary>The 10,000 test images and labels.</summary>
    /// <exception cref="MissingDataException">A file is in neither plain nor gzip'd form in <paramref name="dir"/>.</exception>
    /// <exception cref="DataFormatException">A file is malformed, not 28×28, or has a label outside 0 to 9.</exception>
    public static Dataset LoadTest(string dir) => Load(dir, MnistFiles.TestImages, MnistFiles.TestLabels);

    private static Dataset Load(string dir, MnistFile imagesFile, MnistFile labelsFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        string imagesPath = Locate(dir, imagesFile);
        string labelsPath = Locate(dir, labelsFile);
        Dataset data = Idx.ReadImagesAndLabels(imagesPath, labelsPath);
        if (data.Rows != ImageSide || data.Cols != ImageSide)
            throw new DataFormatException(imagesPath, $"MNIST images are 28×28, this file has {data.Rows}×{data.Cols}");
        byte[] labels = data.Labels!; // a labels path was passed, so the data is labelled
        int badIndex = labels.AsSpan().IndexOfAnyExceptInRange((byte)0, (byte)9);
        if (badIndex >= 0)
            throw new DataFormatException(labelsPath, $"label {labels[badIndex]} of item {badIndex} is outside 0..9");
        return data;
    }

    private static string Locate(string dir, MnistFile file)
    {
        string plain = Path.Combine(dir, file.Name);
        if (File.Exists(plain)) return plain;
        string gzipped = plain + ".gz";
        if (File.Exists(gzipped)) return gzipped;
        // Ends with the file in parentheses, the shape of every error line the tool prints (design §5).
        throw new MissingDataException(
            $"MNIST file {file.Name} (or {file.Name}.gz) not found in {dir}: run `vae data fetch`, " +
            $"or put the four MNIST files in --data-dir {dir} ({plain})");
    }
}

namespace VaeSharp.Data;

/// <summary>The four original MNIST IDX files, with the sizes and hashes every copy is checked against.</summary>
public static class MnistFiles
{
    /// <summary>The 60,000 training images, 28×28.</summary>
    public static readonly MnistFile TrainImages = new(
        "train-images-idx3-ubyte", 47040016, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db");

    /// <summary>The 60,000 training labels.</summary>
    public static readonly MnistFile TrainLabels = new(
        "train-labels-idx1-ubyte", 60008, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5");

    /// <summary>The 10,000 test images, 28×28.</summary>
    public static readonly MnistFile TestImages = new(
        "t10k-images-idx3-ubyte", 7840016, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7");

    /// <summary>The 10,000 test labels.</summary>
    public static readonly MnistFile TestLabels = new(
        "t10k-labels-idx1-ubyte", 10008, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    /// <summary>All four files, train first.</summary>
    public static IReadOnlyList<MnistFile> All { get; } = Array.AsReadOnly([TrainImages, TrainLabels, TestImages, TestLabels]);
}

using VaeSharp.Data;

namespace VaeSharp.Tests.Data;

public sealed class MnistTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void LoadsPlainAndGzippedFiles()
    {
        var synthetic = new SyntheticMnist(trainCount: 3, testCount: 2);
        File.WriteAllBytes(_dir.File(MnistFiles.TrainImages.Name), synthetic.Contents[MnistFiles.TrainImages.Name]);
        File.WriteAllBytes(_dir.File(MnistFiles.TrainLabels.Name + ".gz"),
            SyntheticMnist.Gzip(synthetic.Contents[MnistFiles.TrainLabels.Name]));

        Dataset train = Mnist.LoadTrain(_dir.Path);

        Assert.Equal((3, 28, 28), (train.Count, train.Rows, train.Cols));
        Assert.Equal([0, 1, 2], train.Labels);
    }

    [Fact]
    public void MissingFilesSayHowToGetThem()
    {
        var error = Assert.Throws<MissingDataException>(() => Mnist.LoadTest(_dir.Path));

        Assert.Contains("t10k-images-idx3-ubyte", error.Message);
        Assert.Contains("vae data fetch", error.Message);
        Assert.Contains($"--data-dir {_dir.Path}", error.Message);
    }

    [Fact]
    public void RejectsLabelsOutsideDigits()
    {
        Idx.WriteImages(_dir.File(MnistFiles.TestImages.Name), new byte[2 * 784], 2, 28, 28);
        Idx.WriteLabels(_dir.File(MnistFiles.TestLabels.Name), [3, 10]);

        var error = Assert.Throws<DataFormatException>(() => Mnist.LoadTest(_dir.Path));

        Assert.Contains("label 10 of item 1", error.Message);
        Assert.Contains(MnistFiles.TestLabels.Name, error.Message);
    }
}

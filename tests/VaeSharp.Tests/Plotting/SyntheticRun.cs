using VaeSharp.Models;
using VaeSharp.Tensors;
using VaeSharp.Tests.Data;
using VaeSharp.Training;

namespace VaeSharp.Tests.Plotting;

/// <summary>
/// A run folder with a small untrained 28×28 model and two epochs of metrics, beside a data folder of synthetic MNIST
/// files, so the picture verbs can run end to end in milliseconds. Deleted on dispose.
/// </summary>
internal sealed class SyntheticRun : IDisposable
{
    private readonly TempDirectory _root = new();

    public SyntheticRun(int latent, int testCount = 30)
    {
        ModelFolder = Directory.CreateDirectory(_root.File("run")).FullName;
        DataFolder = Directory.CreateDirectory(_root.File("data")).FullName;
        foreach (var (name, content) in new SyntheticMnist(trainCount: 12, testCount: testCount).Contents)
            System.IO.File.WriteAllBytes(Path.Combine(DataFolder, name), content);
        var model = new VaeModel(new ModelSpec { InputShape = [28, 28], Hidden = [16], Latent = latent }, new Rng(1));
        new RunDirectory(ModelFolder).Save(model,
        [
            new EpochMetrics { Epoch = 1, TrainLoss = 200, TrainReconstruction = 190, TrainKl = 10, TestNegElbo = 180, TestReconstruction = 172, TestKl = 8 },
            new EpochMetrics { Epoch = 2, TrainLoss = 170, TrainReconstruction = 160, TrainKl = 10, TestNegElbo = 165, TestReconstruction = 156, TestKl = 9 },
        ]);
    }

    /// <summary>Holds model.safetensors and metrics.jsonl.</summary>
    public string ModelFolder { get; }

    /// <summary>Holds the four MNIST IDX files.</summary>
    public string DataFolder { get; }

    public string File(string name) => Path.Combine(ModelFolder, name);

    public void Dispose() => _root.Dispose();
}

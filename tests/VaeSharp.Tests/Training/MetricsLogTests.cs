using VaeSharp.Training;
using VaeSharp.Tests.Data;

namespace VaeSharp.Tests.Training;

public class MetricsLogTests
{
    [Fact]
    public void AWholeLineReadsBackAndALineWithoutTheTrainingTermsIsAnErrorNamingIt()
    {
        using var folder = new TempDirectory();
        string path = folder.File("metrics.jsonl");
        File.WriteAllText(path, """{"epoch":1,"kl_weight":1,"train_loss":170.5,"train_reconstruction":160,"train_kl":10.5}""" + "\n\n");
        Assert.Equal(170.5, Assert.Single(MetricsLog.Read(path)).TrainLoss);

        File.AppendAllText(path, """{"epoch":2}""" + "\n");
        var error = Assert.Throws<InvalidDataException>(() => MetricsLog.Read(path));
        Assert.Contains("line 3 is not an epoch's metrics", error.Message);
        Assert.Contains("train_loss", error.Message);
        Assert.EndsWith($"({path})", error.Message);
    }
}

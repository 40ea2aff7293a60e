using System.Globalization;
using VaeSharp.Data;

namespace VaeSharp.Cli;

/// <summary>
/// The MNIST train and test sets a run uses, and the description a checkpoint stores so that
/// <c>vae resume</c> loads exactly the same data again.
/// </summary>
internal sealed record TrainingData(Dataset Train, Dataset Test, IReadOnlyDictionary<string, string> Source)
{
    private const string DataDirKey = "data_dir", LimitKey = "limit";

    public static TrainingData Load(string? dataDir, int? limit)
    {
        var dir = DataDirectory.Resolve(dataDir);
        var train = Mnist.LoadTrain(dir);
        if (limit is int count && count < train.Count) train = train.Take(count);
        var source = new Dictionary<string, string> { [DataDirKey] = Path.GetFullPath(dir) };
        if (limit is int given) source[LimitKey] = given.ToString(CultureInfo.InvariantCulture);
        return new TrainingData(train, Mnist.LoadTest(dir), source);
    }

    /// <summary>Loads what <paramref name="source"/> describes; <paramref name="dataDirOverride"/> replaces its folder.</summary>
    public static TrainingData Load(IReadOnlyDictionary<string, string> source, string? dataDirOverride)
    {
        int? limit = source.TryGetValue(LimitKey, out var text) && int.TryParse(text, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        return Load(dataDirOverride ?? source.GetValueOrDefault(DataDirKey), limit);
    }
}

using System.Globalization;
using VaeSharp.Data;

namespace VaeSharp.Cli;

/// <summary>
/// The MNIST train and test sets a run uses, and the description a checkpoint stores so that
/// <c>vae resume</c> loads exactly the same data again.
/// </summary>
internal sealed record TrainingData(Dataset Train, Dataset Test, IReadOnlyDictionary<string, string> Source)
{
    private const string DataDirKey = "data_dir", LimitKey = "limit", MaskKey = "mask", MissingKey = "missing", MaskSeedKey = "mask_seed";

    /// <summary>Loads MNIST, the first <paramref name="limit"/> training images, and masks both sets when asked.</summary>
    public static TrainingData Load(string? dataDir, int? limit, MaskChoice? mask = null)
    {
        var dir = DataDirectory.Resolve(dataDir);
        var train = Mnist.LoadTrain(dir);
        if (limit is int count && count < train.Count) train = train.Take(count);
        var test = Mnist.LoadTest(dir);
        var source = new Dictionary<string, string> { [DataDirKey] = Path.GetFullPath(dir) };
        if (limit is int given) source[LimitKey] = given.ToString(CultureInfo.InvariantCulture);
        if (mask is { } choice)
        {
            var (trainMask, testMask) = Masks.CreateSplits(choice.Kind, choice.Missing, train.Count, test.Count, train.Rows, train.Cols, choice.Seed);
            (train, test) = (train.WithMask(trainMask), test.WithMask(testMask));
            source[MaskKey] = choice.Kind.ToString().ToLowerInvariant();
            source[MissingKey] = choice.Missing.ToString("R", CultureInfo.InvariantCulture);
            source[MaskSeedKey] = choice.Seed.ToString(CultureInfo.InvariantCulture);
        }
        return new TrainingData(train, test, source);
    }

    /// <summary>Loads what <paramref name="source"/> describes, masks included; <paramref name="dataDirOverride"/> replaces its folder.</summary>
    public static TrainingData Load(IReadOnlyDictionary<string, string> source, string? dataDirOverride)
    {
        int? limit = source.TryGetValue(LimitKey, out var text) && int.TryParse(text, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        MaskChoice? mask = source.TryGetValue(MaskKey, out var kind)
            ? new MaskChoice(Enum.Parse<MaskKind>(kind, ignoreCase: true), double.Parse(source[MissingKey], CultureInfo.InvariantCulture),
                ulong.Parse(source[MaskSeedKey], CultureInfo.InvariantCulture))
            : null;
        return Load(dataDirOverride ?? source.GetValueOrDefault(DataDirKey), limit, mask);
    }
}

/// <summary>The masks of a masked run: kind, missing fraction and the seed they are drawn from.</summary>
internal readonly record struct MaskChoice(MaskKind Kind, double Missing, ulong Seed);

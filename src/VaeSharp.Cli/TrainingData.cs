using System.Globalization;
using VaeSharp.Data;
using VaeSharp.Tensors;

namespace VaeSharp.Cli;

/// <summary>
/// The train and test sets a run uses — MNIST, or a Kaggle digits CSV split into train and validation — and the
/// description a checkpoint stores so that <c>vae resume</c> loads exactly the same data again.
/// </summary>
internal sealed record TrainingData(Dataset Train, Dataset Test, IReadOnlyDictionary<string, string> Source)
{
    private const string DataDirKey = "data_dir", LimitKey = "limit", MaskKey = "mask", MissingKey = "missing", MaskSeedKey = "mask_seed";
    private const string CsvKey = "csv", ValidationKey = "validation", SplitSeedKey = "split_seed", CsvHashKey = "csv_sha256";

    /// <summary>
    /// Loads MNIST (or the CSV of <paramref name="csv"/>), keeps the first <paramref name="limit"/> training images, and
    /// masks both sets when asked.
    /// </summary>
    public static TrainingData Load(string? dataDir, int? limit, MaskChoice? mask = null, CsvChoice? csv = null)
    {
        var source = new Dictionary<string, string>();
        Dataset train, test;
        if (csv is { } file)
        {
            // Hashed as it is parsed, in one pass: another file under the same name would split into other training
            // and validation images without a word.
            // A CryptoStream in read mode hashes what passes through it and closes the hash at the end of the file.
            using var hash = System.Security.Cryptography.SHA256.Create();
            Dataset all;
            using (var text = new StreamReader(new System.Security.Cryptography.CryptoStream(File.OpenRead(file.Path), hash, System.Security.Cryptography.CryptoStreamMode.Read)))
                all = DigitsCsv.Read(text, file.Path);
            string sha256 = Convert.ToHexStringLower(hash.Hash!);
            if (file.Sha256 is { } recorded && recorded != sha256)
                throw new InvalidDataException($"the CSV has changed since the run was trained on it (its SHA-256 is no longer the one training.json records); put the original back ({file.Path})");
            if (all.Count == 0) throw new InvalidDataException($"the CSV holds a header but no images ({file.Path})");
            if (file.Validation >= all.Count)
                throw new UsageException($"the CSV has {all.Count} images, so a validation set of {file.Validation} leaves none to train on (--validation)");
            (train, test) = DigitsCsv.CombineAndSplit(all, null, file.Validation, new Rng(file.SplitSeed));
            source[CsvKey] = Path.GetFullPath(file.Path);
            source[ValidationKey] = file.Validation.ToString(CultureInfo.InvariantCulture);
            source[SplitSeedKey] = file.SplitSeed.ToString(CultureInfo.InvariantCulture);
            source[CsvHashKey] = sha256;
        }
        else
        {
            var dir = DataDirectory.Resolve(dataDir);
            (train, test) = (Mnist.LoadTrain(dir), Mnist.LoadTest(dir));
            source[DataDirKey] = Path.GetFullPath(dir);
        }
        if (limit is int count && count < train.Count) train = train.Take(count);
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

    /// <summary>The masks a run recorded in <paramref name="source"/>, or null for an unmasked run.</summary>
    public static MaskChoice? MaskOf(IReadOnlyDictionary<string, string> source) => source.TryGetValue(MaskKey, out var kind)
        ? new MaskChoice(Enum.Parse<MaskKind>(kind, ignoreCase: true), double.Parse(source[MissingKey], CultureInfo.InvariantCulture),
            ulong.Parse(source[MaskSeedKey], CultureInfo.InvariantCulture))
        : null;

    /// <summary>
    /// As <see cref="CsvOf(IReadOnlyDictionary{string, string})"/>; a value that does not parse is an error naming
    /// <paramref name="statePath"/>, the training.json it came from.
    /// </summary>
    public static CsvChoice? CsvOf(IReadOnlyDictionary<string, string> source, string statePath) =>
        Checked(() => CsvOf(source), statePath);

    /// <summary>Runs <paramref name="parse"/>; a parse failure becomes "malformed training.json: data_source: ..." naming <paramref name="statePath"/>.</summary>
    private static T Checked<T>(Func<T> parse, string statePath)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is FormatException or OverflowException or KeyNotFoundException or ArgumentException)
        {
            throw new InvalidDataException($"malformed {VaeSharp.Training.Checkpoint.StateFileName}: data_source: {e.Message.TrimEnd('.')} ({statePath})");
        }
    }

    /// <summary>The CSV file and split a run recorded in <paramref name="source"/>, or null for an MNIST run.</summary>
    public static CsvChoice? CsvOf(IReadOnlyDictionary<string, string> source) => source.TryGetValue(CsvKey, out var path)
        ? new CsvChoice(path, int.Parse(source[ValidationKey], CultureInfo.InvariantCulture), ulong.Parse(source[SplitSeedKey], CultureInfo.InvariantCulture),
            source.GetValueOrDefault(CsvHashKey))
        : null;

    /// <summary>The training and validation images of <paramref name="csv"/>, split as training split them, without masks or a limit.</summary>
    public static TrainingData Load(CsvChoice csv) => Load(null, null, null, csv);

    /// <summary>
    /// Loads what <paramref name="source"/> describes, masks included; <paramref name="dataDirOverride"/> replaces its
    /// folder. A value that does not parse (a limit of "abc", a missing mask seed) is an error naming
    /// <paramref name="statePath"/>, the training.json it came from.
    /// </summary>
    public static TrainingData Load(IReadOnlyDictionary<string, string> source, string? dataDirOverride, string statePath)
    {
        var (limit, mask, csv) = Checked(() => (
            source.TryGetValue(LimitKey, out var text)
                ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed
                    : throw new FormatException($"limit '{text}' is not a positive whole number")
                : (int?)null,
            MaskOf(source), CsvOf(source)), statePath);
        if (csv is { } file && !File.Exists(file.Path)) throw new FileNotFoundException($"the run was trained on {file.Path}, which is gone; put it back to resume ({statePath})");
        return Load(dataDirOverride ?? source.GetValueOrDefault(DataDirKey), limit, mask, csv);
    }
}

/// <summary>
/// A Kaggle digits CSV to train on, split by a seed into training images and a validation set of a given size;
/// <paramref name="Sha256"/>, when a run recorded it, is the content the file must still have.
/// </summary>
internal readonly record struct CsvChoice(string Path, int Validation, ulong SplitSeed, string? Sha256 = null);

/// <summary>The masks of a masked run: kind, missing fraction and the seed they are drawn from.</summary>
internal readonly record struct MaskChoice(MaskKind Kind, double Missing, ulong Seed);

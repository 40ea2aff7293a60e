using System.Buffers;
using System.Globalization;
using VaeSharp.Tensors;

namespace VaeSharp.Data;

/// <summary>
/// Reads the Kaggle "Digit Recognizer" CSV format: a header <c>label,pixel0,...,pixel783</c> (train.csv) or
/// <c>pixel0,...,pixel783</c> (test.csv, unlabelled), then one 28×28 image per row as integers 0 to 255.
/// </summary>
public static class DigitsCsv
{
    private const int Side = 28;
    private const int PixelCount = Side * Side;

    /// <summary>Reads train.csv (labelled) or test.csv (unlabelled, <see cref="Dataset.Labels"/> null), told apart by the header.</summary>
    /// <exception cref="DataFormatException">A bad header, or a row with the wrong field count or a value out of range;
    /// the message gives the line number.</exception>
    public static Dataset Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <summary>The longest line read: a row of 785 values of up to three digits takes about 3,100 characters.</summary>
    private const int MaxLineLength = 1 << 16;

    /// <summary>Reads the CSV text from <paramref name="source"/>; <paramref name="path"/> names it in errors.</summary>
    internal static Dataset Read(TextReader source, string path)
    {
        var reader = new BoundedLineReader(source, MaxLineLength);
        int lineNumber = 1;
        string? ReadLine()
        {
            try
            {
                return reader.ReadLine();
            }
            catch (InvalidDataException)
            {
                throw new DataFormatException(path, $"line {lineNumber} is longer than {MaxLineLength:N0} characters: not a digits CSV");
            }
        }
        string header = ReadLine() ?? throw new DataFormatException(path, "empty file: expected a header line");
        bool labelled = ParseHeader(header, path);
        int fieldCount = labelled ? PixelCount + 1 : PixelCount;

        var pixels = new ArrayBufferWriter<byte>();
        var labels = new List<byte>();
        int count = 0;
        while (true)
        {
            lineNumber++;
            if (ReadLine() is not { } line) break;
            if (line.Length == 0) continue; // a blank line (a trailing one, typically) holds no record
            ReadOnlySpan<char> rest = line;
            Span<byte> image = pixels.GetSpan(PixelCount)[..PixelCount];
            for (int field = 0; field < fieldCount; field++)
            {
                int comma = rest.IndexOf(',');
                bool last = field == fieldCount - 1;
                if (last != (comma < 0))
                    throw new DataFormatException(path,
                        $"line {lineNumber}: {CountFields(line)} fields, expected {fieldCount}");
                ReadOnlySpan<char> text = last ? rest : rest[..comma];
                bool isLabel = labelled && field == 0;
                byte value = ParseValue(text, isLabel ? 9 : 255, path, lineNumber, field);
                if (isLabel) labels.Add(value);
                else image[labelled ? field - 1 : field] = value;
                if (!last) rest = rest[(comma + 1)..];
            }
            pixels.Advance(PixelCount);
            count++;
        }
        return new Dataset(pixels.WrittenSpan.ToArray(), labelled ? labels.ToArray() : null, count, Side, Side, path);
    }

    /// <summary>
    /// Joins <paramref name="first"/> and <paramref name="second"/> and holds out a random validation set of
    /// <paramref name="validationSize"/> images. Both inputs must be labelled, or both unlabelled, so that every output
    /// row either has a label or none does. Each output keeps the combined order of its rows; which rows go where
    /// depends only on the sizes and <paramref name="rng"/>.
    /// </summary>
    /// <param name="first">The main data set, for example train.csv.</param>
    /// <param name="second">More images of the same size, or null.</param>
    /// <param name="validationSize">How many images to hold out, 0 to the combined count.</param>
    /// <param name="rng">Chooses the held-out images.</param>
    public static (Dataset Train, Dataset Validation) CombineAndSplit(
        Dataset first, Dataset? second, int validationSize, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(rng);
        Dataset combined = second is null ? first : Concatenate(first, second);
        ArgumentOutOfRangeException.ThrowIfNegative(validationSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(validationSize, combined.Count);

        int[] order = new int[combined.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        rng.Shuffle(order.AsSpan());
        Span<int> validationIndices = order.AsSpan(0, validationSize);
        Span<int> trainIndices = order.AsSpan(validationSize);
        validationIndices.Sort();
        trainIndices.Sort();
        return (combined.Subset(trainIndices), combined.Subset(validationIndices));
    }

    private static Dataset Concatenate(Dataset first, Dataset second)
    {
        if (first.Rows != second.Rows || first.Cols != second.Cols)
            throw new ArgumentException(
                $"image sizes differ: {first.Rows}×{first.Cols} and {second.Rows}×{second.Cols}", nameof(second));
        if ((first.Labels is null) != (second.Labels is null))
            throw new ArgumentException("one data set is labelled and the other is not", nameof(second));
        byte[] pixels = [.. first.Pixels, .. second.Pixels];
        byte[]? labels = first.Labels is null ? null : [.. first.Labels, .. second.Labels!];
        return new Dataset(pixels, labels, first.Count + second.Count, first.Rows, first.Cols,
            $"{first.Source} + {second.Source}");
    }

    /// <summary>Whether the header is train.csv's (with label) or test.csv's; anything else is an error.</summary>
    private static bool ParseHeader(string header, string path)
    {
        string[] names = header.Split(',');
        bool labelled = names.Length > 0 && names[0] == "label";
        int offset = labelled ? 1 : 0;
        bool valid = names.Length == PixelCount + offset;
        for (int i = 0; valid && i < PixelCount; i++)
            valid = names[i + offset] == "pixel" + i.ToString(CultureInfo.InvariantCulture);
        if (!valid)
            throw new DataFormatException(path,
                $"line 1: expected the header label,pixel0,...,pixel{PixelCount - 1} or pixel0,...,pixel{PixelCount - 1}");
        return labelled;
    }

    private static byte ParseValue(ReadOnlySpan<char> text, int max, string path, int lineNumber, int field)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value <= max)
            return (byte)value;
        string what = max == 9 ? "label" : "pixel";
        throw new DataFormatException(path,
            $"line {lineNumber}, field {field + 1}: '{text}' is not a {what} value (an integer 0..{max})");
    }

    private static int CountFields(string line) => line.AsSpan().Count(',') + 1;
}

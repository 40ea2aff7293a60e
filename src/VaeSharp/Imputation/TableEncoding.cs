using System.Globalization;
using VaeSharp.Data;

namespace VaeSharp.Imputation;

/// <summary>
/// A table's imputable columns as one <see cref="MissingData"/>: the numeric columns first, in file order, then each
/// categorical column as a one-hot block of its levels (a missing category is missing in its whole block). Every
/// imputer works on that matrix; <see cref="Write(float[], bool)"/> turns a completed matrix back into cells: a block's largest
/// entry is its category (the mode for the mean baseline, the neighbours' mode for k-NN), integer columns are rounded and, unless told
/// otherwise, numbers are clipped to the column's observed range.
/// </summary>
public sealed class TableEncoding
{
    private TableEncoding(TabularTable table, MissingData data, (int Start, int Count)[] blocks, float[] minimum, float[] maximum)
    {
        (Table, Data, Blocks, Minimum, Maximum) = (table, data, blocks, minimum, maximum);
    }

    /// <summary>The table encoded.</summary>
    public TabularTable Table { get; }

    /// <summary>(Rows, NumericColumns + Σ levels): values and mask for the imputers.</summary>
    public MissingData Data { get; }

    /// <summary>Per categorical column, where its one-hot block lies in <see cref="Data"/>'s columns.</summary>
    public IReadOnlyList<(int Start, int Count)> Blocks { get; }

    /// <summary>Per numeric column, its smallest observed value.</summary>
    public IReadOnlyList<float> Minimum { get; }

    /// <summary>Per numeric column, its largest observed value.</summary>
    public IReadOnlyList<float> Maximum { get; }

    /// <summary>
    /// The most columns the encoding may have, numeric columns and category levels together: the chained methods keep
    /// a (width, width) correlation matrix, 64 MB at this width.
    /// </summary>
    public const int MaxWidth = 4096;

    /// <summary>Encodes <paramref name="table"/>.</summary>
    /// <exception cref="DataFormatException">The numeric columns and category levels number more than <see cref="MaxWidth"/>.</exception>
    public static TableEncoding For(TabularTable table)
    {
        int rows = table.Rows, numeric = table.NumericColumns.Count, categorical = table.CategoricalColumns.Count;
        var blocks = new (int Start, int Count)[categorical];
        int width = numeric;
        for (int k = 0; k < categorical; k++)
        {
            blocks[k] = (width, table.Levels[k].Length);
            width += table.Levels[k].Length;
        }
        if (width > MaxWidth)
            throw new DataFormatException(table.Source, $"the table has {numeric} numeric columns and {width - numeric} category levels, {width} in all; impute-csv imputes at most {MaxWidth}");
        // Without categories the table's own arrays already have this layout: they are shared, not copied.
        var values = categorical == 0 ? table.Values : new float[(long)rows * width]; // (rows, width)
        var mask = categorical == 0 ? table.Mask : new byte[values.Length];
        var minimum = Enumerable.Repeat(float.PositiveInfinity, numeric).ToArray();
        var maximum = Enumerable.Repeat(float.NegativeInfinity, numeric).ToArray();
        for (int row = 0; row < rows; row++)
        {
            for (int k = 0; k < numeric; k++)
            {
                int source = row * numeric + k, target = row * width + k;
                if (categorical > 0) (values[target], mask[target]) = (table.Values[source], table.Mask[source]);
                if (table.Mask[source] == 0) continue;
                minimum[k] = Math.Min(minimum[k], table.Values[source]);
                maximum[k] = Math.Max(maximum[k], table.Values[source]);
            }
            for (int k = 0; k < categorical; k++)
            {
                int code = table.Codes[row * categorical + k];
                for (int level = 0; level < blocks[k].Count; level++)
                {
                    int target = row * width + blocks[k].Start + level;
                    (values[target], mask[target]) = code < 0 ? (float.NaN, (byte)0) : (level == code ? 1f : 0f, (byte)1);
                }
            }
        }
        return new TableEncoding(table, new MissingData(values, mask, rows, width), blocks, minimum, maximum);
    }

    /// <summary>The observed cells of the table's numeric and categorical columns, a category counted once, not once per level.</summary>
    public long ObservedCells()
    {
        int numeric = Data.Cols - Blocks.Sum(block => block.Count);
        long observed = 0;
        for (int row = 0; row < Data.Rows; row++)
        {
            for (int k = 0; k < numeric; k++) observed += Data.Mask[row * Data.Cols + k];
            foreach (var (start, _) in Blocks) observed += Data.Mask[row * Data.Cols + start];
        }
        return observed;
    }

    /// <summary>The same columns with another mask, as when cells are hidden for scoring; the truth stays in the values.</summary>
    public TableEncoding WithMask(byte[] mask) =>
        new(Table, new MissingData(Data.Values, mask, Data.Rows, Data.Cols), [.. Blocks], [.. Minimum], [.. Maximum]);

    /// <summary>
    /// The same columns over some of the rows only (a fitting sample of a long table): the observed range stays the
    /// whole table's. Only for fitting and held-out checks; write with the whole table's encoding.
    /// </summary>
    public TableEncoding Subset(IReadOnlyList<int> rows) => new(Table, Data.SelectRows(rows), [.. Blocks], [.. Minimum], [.. Maximum]);

    /// <summary>
    /// Turns a completed matrix (Rows, Data.Cols) into numbers (Rows, NumericColumns): missing integers rounded and,
    /// when <paramref name="clip"/>, clipped to the observed range; observed cells exact.
    /// </summary>
    public float[] Numbers(float[] completed, bool clip = true)
    {
        int numeric = Table.NumericColumns.Count, width = Data.Cols;
        var result = new float[Data.Rows * numeric];
        for (int row = 0; row < Data.Rows; row++)
            for (int k = 0; k < numeric; k++)
            {
                int source = row * width + k;
                // An observed cell is read from the table, not the completion: a blend's weights sum to 1 only up to rounding.
                float value = Data.Mask[source] != 0 ? Data.Values[source] : completed[source];
                if (Data.Mask[source] == 0)
                {
                    if (clip) value = Math.Clamp(value, Minimum[k], Maximum[k]);
                    if (Table.Kinds[Table.NumericColumns[k]] == ColumnKind.Integer) value = MathF.Round(value);
                }
                result[row * numeric + k] = value;
            }
        return result;
    }

    /// <summary>The category codes (Rows, CategoricalColumns): the largest entry of each block (an observed one-hot block gives its own).</summary>
    public int[] Categories(float[] completed)
    {
        int categorical = Blocks.Count, width = Data.Cols;
        var codes = new int[Data.Rows * categorical];
        for (int row = 0; row < Data.Rows; row++)
            for (int k = 0; k < categorical; k++)
            {
                var (start, count) = Blocks[k];
                int best = 0;
                for (int level = 1; level < count; level++)
                    if (completed[row * width + start + level] > completed[row * width + start + best]) best = level;
                codes[row * categorical + k] = best;
            }
        return codes;
    }

    /// <summary>The CSV text with every missing numeric and categorical cell filled from <paramref name="completed"/>; all else byte for byte.</summary>
    public string Write(float[] completed, bool clip = true)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        Write(output, completed, clip);
        return output.ToString();
    }

    /// <summary>As <see cref="Write(float[], bool)"/>, but streams the text to <paramref name="output"/>.</summary>
    public void Write(TextWriter output, float[] completed, bool clip = true)
    {
        var numbers = Numbers(completed, clip);
        var codes = Categories(completed);
        int numeric = Table.NumericColumns.Count, categorical = Table.CategoricalColumns.Count;
        var numericIndex = Index(Table.NumericColumns);
        var categoricalIndex = Index(Table.CategoricalColumns);
        Table.WriteWithCells(output, (row, col) =>
        {
            if (numericIndex[col] is int k && k >= 0)
                return Table.Mask[row * numeric + k] == 0 ? Format(numbers[row * numeric + k], Table.Kinds[col]) : null;
            if (categoricalIndex[col] is int c && c >= 0)
                return Table.Codes[row * categorical + c] < 0 ? TabularCsv.Quote(Table.Levels[c][codes[row * categorical + c]]) : null;
            return null;
        });
    }

    /// <summary>
    /// A number as the table writes it: a whole number for an integer column (in digits, past the range of a long
    /// too: 1e20 is 100000002004087734272, the float's exact value), else round-trip precision.
    /// </summary>
    public static string Format(float value, ColumnKind kind) =>
        kind != ColumnKind.Integer ? value.ToString("R", CultureInfo.InvariantCulture)
            : Math.Abs(value) < 9e18f ? ((long)value).ToString(CultureInfo.InvariantCulture) : value.ToString("F0", CultureInfo.InvariantCulture);

    private int[] Index(IReadOnlyList<int> columns)
    {
        var index = Enumerable.Repeat(-1, Table.Header.Count).ToArray();
        for (int k = 0; k < columns.Count; k++) index[columns[k]] = k;
        return index;
    }
}

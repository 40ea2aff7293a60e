namespace VaeSharp.Data;

/// <summary>
/// A CSV table as read by <see cref="TabularCsv"/>: the original text, where each cell lies in it, each column's
/// <see cref="ColumnKind"/>, the numeric columns as floats with a mask (1 observed, 0 missing) and the categorical
/// columns as codes into their sorted levels (-1 missing). Writing replaces only the cells asked for, so everything
/// else (header, quoting, number formats, line endings) comes back byte for byte.
/// </summary>
public sealed class TabularTable
{
    internal TabularTable(string text, string[] header, (int Start, int Length)[][] cells, ColumnKind[] kinds, int[] numericColumns,
        float[] values, byte[] mask, int[] categoricalColumns, string[][] levels, int[] codes, IReadOnlyList<string> warnings, string source)
    {
        (Text, Header, Cells, Kinds, NumericColumns, Values, Mask) = (text, header, cells, kinds, numericColumns, values, mask);
        (CategoricalColumns, Levels, Codes, Warnings, Source) = (categoricalColumns, levels, codes, warnings, source);
        _numericIndex = Enumerable.Repeat(-1, header.Length).ToArray();
        for (int k = 0; k < numericColumns.Length; k++) _numericIndex[numericColumns[k]] = k;
    }

    private readonly int[] _numericIndex; // per file column: its index among the numeric columns, -1 for others

    /// <summary>The file's text as read.</summary>
    public string Text { get; }

    /// <summary>The column names, unquoted, in file order.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>Per data row, per column: where the cell's raw text (quotes included) lies in <see cref="Text"/>.</summary>
    internal (int Start, int Length)[][] Cells { get; }

    /// <summary>Each column's kind, in file order.</summary>
    public IReadOnlyList<ColumnKind> Kinds { get; }

    /// <summary>Indices (into <see cref="Header"/>) of the numeric columns (real and integer), in file order.</summary>
    public IReadOnlyList<int> NumericColumns { get; }

    /// <summary>The numeric cells: (Rows, NumericColumns.Count) row-major; NaN where missing.</summary>
    public float[] Values { get; }

    /// <summary>(Rows, NumericColumns.Count): 1 observed, 0 missing (blank, NA or NaN).</summary>
    public byte[] Mask { get; }

    /// <summary>Indices (into <see cref="Header"/>) of the categorical columns, in file order.</summary>
    public IReadOnlyList<int> CategoricalColumns { get; }

    /// <summary>Per categorical column, its observed values in ordinal order.</summary>
    public IReadOnlyList<string[]> Levels { get; }

    /// <summary>(Rows, CategoricalColumns.Count): the index into <see cref="Levels"/>, -1 where missing.</summary>
    public int[] Codes { get; }

    /// <summary>Data rows, the header not counted.</summary>
    public int Rows => Cells.Length;

    /// <summary>What the reader passed over or found doubtful, for the caller to show: free-text columns, rare categories.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Where the table came from, for messages.</summary>
    public string Source { get; }

    /// <summary>The text of cell (row, col) as the file has it, unquoted and trimmed; col counts every column of the file.</summary>
    public ReadOnlySpan<char> CellText(int row, int col) => TabularCsv.CellText(Text, Cells[row][col]).Trim();

    /// <summary>
    /// The text with numeric cell (row, k) replaced by <paramref name="format"/>(row, k) wherever
    /// <paramref name="replace"/>(row, k) holds; k counts numeric columns. Every other byte is copied.
    /// </summary>
    public string WithNumericCells(Func<int, int, bool> replace, Func<int, int, string> format) => WithCells(NumericCells(replace, format));

    /// <summary>As <see cref="WithNumericCells"/>, but streams the text to <paramref name="output"/>.</summary>
    public void WriteWithNumericCells(TextWriter output, Func<int, int, bool> replace, Func<int, int, string> format) =>
        WriteWithCells(output, NumericCells(replace, format));

    /// <summary>A <see cref="WithCells"/> format that replaces numeric cell (row, k) where <paramref name="replace"/> holds.</summary>
    private Func<int, int, string?> NumericCells(Func<int, int, bool> replace, Func<int, int, string> format) =>
        (row, col) => _numericIndex[col] is int k && k >= 0 && replace(row, k) ? format(row, k) : null;

    /// <summary>
    /// The text with cell (row, col) replaced by <paramref name="format"/>(row, col) wherever that is not null;
    /// col counts every column of the file. Every other byte is copied.
    /// </summary>
    public string WithCells(Func<int, int, string?> format)
    {
        using var output = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        WriteWithCells(output, format);
        return output.ToString();
    }

    /// <summary>As <see cref="WithCells"/>, but streams the text to <paramref name="output"/>.</summary>
    public void WriteWithCells(TextWriter output, Func<int, int, string?> format)
    {
        int copied = 0;
        for (int row = 0; row < Rows; row++)
            for (int col = 0; col < Header.Count; col++)
            {
                if (format(row, col) is not string replacement) continue;
                var (start, length) = Cells[row][col];
                output.Write(Text.AsSpan(copied, start - copied));
                output.Write(replacement);
                copied = start + length;
            }
        output.Write(Text.AsSpan(copied, Text.Length - copied));
    }
}

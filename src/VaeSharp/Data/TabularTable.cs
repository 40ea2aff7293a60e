namespace VaeSharp.Data;

/// <summary>
/// A CSV table as read by <see cref="TabularCsv"/>: the original text, where each cell lies in it, and the numeric
/// columns as floats with a mask (1 observed, 0 missing). Writing replaces only the cells asked for, so everything
/// else (header, quoting, number formats, line endings) comes back byte for byte.
/// </summary>
public sealed class TabularTable
{
    internal TabularTable(string text, string[] header, (int Start, int Length)[][] cells, int[] numericColumns,
        float[] values, byte[] mask, IReadOnlyList<string> warnings, string source)
    {
        (Text, Header, Cells, NumericColumns, Values, Mask, Warnings, Source) = (text, header, cells, numericColumns, values, mask, warnings, source);
    }

    /// <summary>The file's text as read.</summary>
    public string Text { get; }

    /// <summary>The column names, unquoted, in file order.</summary>
    public IReadOnlyList<string> Header { get; }

    /// <summary>Per data row, per column: where the cell's raw text (quotes included) lies in <see cref="Text"/>.</summary>
    internal (int Start, int Length)[][] Cells { get; }

    /// <summary>Indices (into <see cref="Header"/>) of the numeric columns, in file order.</summary>
    public IReadOnlyList<int> NumericColumns { get; }

    /// <summary>The numeric cells: (Rows, NumericColumns.Count) row-major; NaN where missing.</summary>
    public float[] Values { get; }

    /// <summary>(Rows, NumericColumns.Count): 1 observed, 0 missing (blank, NA or NaN).</summary>
    public byte[] Mask { get; }

    /// <summary>Data rows, the header not counted.</summary>
    public int Rows => Cells.Length;

    /// <summary>What the reader passed over, for the caller to show: non-numeric columns, kept as text.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Where the table came from, for messages.</summary>
    public string Source { get; }

    /// <summary>
    /// The text with numeric cell (row, k) replaced by <paramref name="format"/>(row, k) wherever
    /// <paramref name="replace"/>(row, k) holds; k counts numeric columns. Every other byte is copied.
    /// </summary>
    public string WithNumericCells(Func<int, int, bool> replace, Func<int, int, string> format)
    {
        var output = new System.Text.StringBuilder(Text.Length + Rows * 8);
        int copied = 0;
        for (int row = 0; row < Rows; row++)
            for (int k = 0; k < NumericColumns.Count; k++)
            {
                if (!replace(row, k)) continue;
                var (start, length) = Cells[row][NumericColumns[k]];
                output.Append(Text, copied, start - copied).Append(format(row, k));
                copied = start + length;
            }
        return output.Append(Text, copied, Text.Length - copied).ToString();
    }
}

using System.Globalization;

namespace VaeSharp.Data;

/// <summary>
/// Reads a CSV table for imputation: a header row, then data rows of as many fields. Fields may be quoted
/// ("a, b" and "say ""hi""", newlines included). A blank cell, NA or NaN (any case) is missing. A column whose
/// observed cells all parse as numbers is numeric; any other column is kept as text and named in a warning.
/// </summary>
/// <remarks>A numeric column is only recognised by its observed cells, so a column with none is an error: nothing
/// could be imputed in it.</remarks>
public static class TabularCsv
{
    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">The table is empty, ragged, badly quoted, or has an all-missing column.</exception>
    public static TabularTable Read(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses <paramref name="text"/>; errors name <paramref name="source"/> and the line.</summary>
    /// <exception cref="DataFormatException">The table is empty, ragged, badly quoted, or has an all-missing column.</exception>
    public static TabularTable Parse(string text, string source)
    {
        var records = Split(text, source);
        if (records.Count == 0) throw new DataFormatException(source, $"the table is empty: no header row");
        var (headerLine, headerCells) = records[0];
        var header = headerCells.Select(cell => Unquote(text, cell)).ToArray();
        var rows = new List<(int Start, int Length)[]>();
        foreach (var (line, cells) in records.Skip(1))
        {
            if (cells.Length != header.Length)
                throw new DataFormatException(source, $"line {line} has {cells.Length} fields but the header (line {headerLine}) has {header.Length}");
            rows.Add(cells);
        }
        var warnings = new List<string>();
        var numeric = new List<int>();
        for (int col = 0; col < header.Length; col++)
        {
            var values = rows.Select(cells => Unquote(text, cells[col])).ToList();
            var observed = values.Where(value => !IsMissing(value)).ToList();
            if (observed.Count == 0)
                throw new DataFormatException(source, $"column '{header[col]}' has no observed value, so it cannot be imputed; drop it or fill it");
            if (observed.All(value => TryParse(value, out _))) numeric.Add(col);
            else warnings.Add($"column '{header[col]}' is not numeric; it is passed through unchanged");
        }
        if (numeric.Count == 0) throw new DataFormatException(source, $"the table has no numeric column");
        var floats = new float[rows.Count * numeric.Count];
        var mask = new byte[floats.Length];
        for (int row = 0; row < rows.Count; row++)
            for (int k = 0; k < numeric.Count; k++)
            {
                string value = Unquote(text, rows[row][numeric[k]]);
                int i = row * numeric.Count + k;
                bool observed = !IsMissing(value) && TryParse(value, out floats[i]);
                mask[i] = observed ? (byte)1 : (byte)0;
                if (!observed) floats[i] = float.NaN;
            }
        return new TabularTable(text, header, [.. rows], [.. numeric], floats, mask, warnings, source);
    }

    /// <summary>Whether a cell's unquoted text means "missing": blank, NA or NaN, in any case.</summary>
    public static bool IsMissing(string value)
    {
        var trimmed = value.AsSpan().Trim();
        return trimmed.IsEmpty || trimmed.Equals("NA", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("NaN", StringComparison.OrdinalIgnoreCase);
    }

    private static bool TryParse(string value, out float number) =>
        float.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out number) && float.IsFinite(number);

    private static string Unquote(string text, (int Start, int Length) cell)
    {
        var raw = text.AsSpan(cell.Start, cell.Length);
        return raw.Length >= 2 && raw[0] == '"' ? raw[1..^1].ToString().Replace("\"\"", "\"") : raw.ToString();
    }

    /// <summary>The records, each with its first line number and its fields' raw spans; a final empty line is not a record.</summary>
    private static List<(int Line, (int Start, int Length)[] Cells)> Split(string text, string source)
    {
        var records = new List<(int, (int, int)[])>();
        var cells = new List<(int, int)>();
        int line = 1, recordLine = 1, position = 0;
        if (text.StartsWith('\uFEFF')) position = 1;
        int fieldStart = position;
        while (true)
        {
            if (position < text.Length && text[position] == '"' && position == fieldStart)
            {
                position++;
                while (true)
                {
                    if (position >= text.Length) throw new DataFormatException(source, $"a quoted field opened on line {line} never closes");
                    if (text[position] == '\n') line++;
                    if (text[position] == '"')
                    {
                        if (position + 1 < text.Length && text[position + 1] == '"') { position += 2; continue; }
                        position++;
                        break;
                    }
                    position++;
                }
                if (position < text.Length && text[position] is not (',' or '\r' or '\n'))
                    throw new DataFormatException(source, $"line {line} has text after a closing quote");
            }
            while (position < text.Length && text[position] is not (',' or '\r' or '\n')) position++;
            cells.Add((fieldStart, position - fieldStart));
            if (position < text.Length && text[position] == ',')
            {
                fieldStart = ++position;
                continue;
            }
            bool atEnd = position >= text.Length;
            // A record ends at \n, \r\n or the end of the text; a trailing newline does not start an empty record.
            if (!(atEnd && cells.Count == 1 && cells[0].Item2 == 0 && records.Count > 0 && text.Length > 0 && text[^1] == '\n'))
                records.Add((recordLine, [.. cells]));
            cells.Clear();
            if (atEnd) break;
            if (text[position] == '\r' && position + 1 < text.Length && text[position + 1] == '\n') position++;
            position++;
            line++;
            recordLine = line;
            fieldStart = position;
            if (position >= text.Length) break;
        }
        if (records.Count == 1 && records[0].Item2 is [(_, 0)]) records.Clear();
        return records;
    }
}

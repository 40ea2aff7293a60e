using System.Globalization;

namespace VaeSharp.Data;

/// <summary>
/// Reads a CSV table for imputation: a header row, then data rows of as many fields. Fields may be quoted
/// ("a, b" and "say ""hi""", newlines included). A blank cell, NA or NaN (any case) is missing. Each column's kind
/// (<see cref="ColumnKind"/>) is found from its observed cells: all numbers is numeric (integer when all are whole);
/// text with at most <see cref="MaxCategories"/> distinct values, each seen at least twice on average, is categorical;
/// any other text is free text, passed through and named in a warning.
/// </summary>
/// <remarks>A column's kind is only recognised by its observed cells, so a column with none is an error: nothing
/// could be imputed in it.</remarks>
public static class TabularCsv
{
    /// <summary>The most distinct values a categorical column may have.</summary>
    public const int MaxCategories = 50;

    /// <summary>The most columns a table may have; wider tables are refused before any work is done.</summary>
    public const int MaxColumns = 2048;

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">The table is empty, ragged, badly quoted, or has an all-missing column.</exception>
    public static TabularTable Read(string path) => Parse(ReadText(path), path);

    /// <summary>The file as text, decoded from its bytes in one go: half the peak memory of a reader that grows a buffer.</summary>
    private static string ReadText(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..]) return File.ReadAllText(path); // UTF-16, by its byte-order mark
        int skip = bytes is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0;
        return new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetString(bytes, skip, bytes.Length - skip);
    }

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
        if (header.Length > MaxColumns)
            throw new DataFormatException(source, $"the table has {header.Length} columns; impute-csv reads at most {MaxColumns}");
        var warnings = new List<string>();
        var kinds = new ColumnKind[header.Length];
        var levels = new List<string[]>();
        for (int col = 0; col < header.Length; col++)
        {
            // A first pass over spans allocates nothing, so that long numeric columns cost no garbage.
            int present = 0;
            bool numbers = true, whole = true;
            foreach (var cells in rows)
            {
                var value = CellText(text, cells[col]);
                if (IsMissing(value)) continue;
                present++;
                if (!TryParse(value, out float number)) { numbers = false; break; }
                whole &= number == MathF.Round(number);
            }
            if (numbers && present == 0)
                throw new DataFormatException(source, $"column '{header[col]}' has no observed value, so it cannot be imputed; drop it or fill it");
            if (numbers)
            {
                kinds[col] = whole ? ColumnKind.Integer : ColumnKind.Real;
                continue;
            }
            var observed = rows.Select(cells => Unquote(text, cells[col])).Where(value => !IsMissing(value)).ToList();
            var distinct = observed.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            if (distinct.Length <= MaxCategories && 2 * distinct.Length <= observed.Count)
            {
                kinds[col] = ColumnKind.Categorical;
                levels.Add(distinct);
                var once = distinct.Where(level => observed.Count(value => value == level) == 1).ToArray();
                if (once.Length > 0)
                    warnings.Add($"column '{header[col]}' has {once.Length} category seen only once ('{once[0]}'{(once.Length > 1 ? ", ..." : "")}); it is kept, but the model learns little of it");
            }
            else
            {
                kinds[col] = ColumnKind.Text;
                warnings.Add($"column '{header[col]}' is free text ({distinct.Length} distinct values); it is passed through unchanged, blanks included");
            }
        }
        int[] numeric = [.. Enumerable.Range(0, header.Length).Where(col => kinds[col] is ColumnKind.Real or ColumnKind.Integer)];
        int[] categorical = [.. Enumerable.Range(0, header.Length).Where(col => kinds[col] == ColumnKind.Categorical)];
        if (numeric.Length + categorical.Length == 0) throw new DataFormatException(source, $"the table has no numeric or categorical column");
        var floats = new float[rows.Count * numeric.Length];
        var mask = new byte[floats.Length];
        var codes = new int[rows.Count * categorical.Length];
        for (int row = 0; row < rows.Count; row++)
        {
            for (int k = 0; k < numeric.Length; k++)
            {
                var value = CellText(text, rows[row][numeric[k]]);
                int i = row * numeric.Length + k;
                bool observed = !IsMissing(value) && TryParse(value, out floats[i]);
                mask[i] = observed ? (byte)1 : (byte)0;
                if (!observed) floats[i] = float.NaN;
            }
            for (int k = 0; k < categorical.Length; k++)
            {
                string value = Unquote(text, rows[row][categorical[k]]);
                codes[row * categorical.Length + k] = IsMissing(value) ? -1 : Array.BinarySearch(levels[k], value, StringComparer.Ordinal);
            }
        }
        return new TabularTable(text, header, [.. rows], kinds, numeric, floats, mask, categorical, [.. levels], codes, warnings, source);
    }

    /// <summary>Whether a cell's unquoted text means "missing": blank, NA or NaN, in any case.</summary>
    public static bool IsMissing(string value) => IsMissing(value.AsSpan());

    private static bool IsMissing(ReadOnlySpan<char> value)
    {
        var trimmed = value.Trim();
        return trimmed.IsEmpty || trimmed.Equals("NA", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("NaN", StringComparison.OrdinalIgnoreCase);
    }

    private static bool TryParse(ReadOnlySpan<char> value, out float number) =>
        float.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out number) && float.IsFinite(number);

    /// <summary>A cell's unquoted text; a span into <paramref name="text"/> unless it holds doubled quotes.</summary>
    private static ReadOnlySpan<char> CellText(string text, (int Start, int Length) cell)
    {
        var raw = text.AsSpan(cell.Start, cell.Length);
        if (raw.Length < 2 || raw[0] != '"') return raw;
        var inside = raw[1..^1];
        return inside.Contains('"') ? Unquote(text, cell).AsSpan() : inside;
    }

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

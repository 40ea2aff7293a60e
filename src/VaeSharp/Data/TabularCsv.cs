using System.Globalization;

namespace VaeSharp.Data;

/// <summary>
/// Reads a CSV table for imputation: a header row, then data rows of as many fields. Fields may be quoted
/// ("a, b" and "say ""hi""", newlines included). A blank cell, NA or NaN (any case) is missing. Each column's kind
/// (<see cref="ColumnKind"/>) is found from its observed cells: all numbers is numeric (integer when all are whole);
/// text with at most <see cref="MaxCategories"/> distinct values, each seen at least twice on average, is categorical;
/// any other text is free text, passed through and named in a warning. A mostly numeric column with a cell that is
/// not a finite 32-bit number ("inf", 1e300, a typo) is read as text, and the warning names that cell. Empty lines
/// before the header and after the last row are passed over (and copied through), and so are those between rows in a
/// table of two or more columns; in a one-column table such a line is a blank cell.
/// </summary>
/// <remarks>A column's kind is only recognised by its observed cells, so a column with none is an error: nothing
/// could be imputed in it.</remarks>
public static class TabularCsv
{
    /// <summary>The most distinct values a categorical column may have.</summary>
    public const int MaxCategories = 50;

    /// <summary>The most columns a table may have; a wider table is refused on its header, before any cell is parsed.</summary>
    public const int MaxColumns = 2048;

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">The file is longer than 1 GiB, binary or not UTF-8 (nor UTF-16 with its
    /// byte-order mark); or the table is empty, ragged, badly quoted, too wide, has two columns of one name, no rows, or an all-missing column.</exception>
    public static TabularTable Read(string path) => Parse(TableText.Read(path), path);

    /// <summary>Parses <paramref name="text"/>; errors name <paramref name="source"/> and the line.</summary>
    /// <exception cref="DataFormatException">The table is empty, ragged, badly quoted, too wide, has two columns of one
    /// name, no rows, or an all-missing column.</exception>
    public static TabularTable Parse(string text, string source)
    {
        var records = Split(text, source);
        // Empty lines before the header and after the last row are passed over, even in a one-column table.
        int first = records.FindIndex(record => record.Cells is not [(_, 0)]), last = records.FindLastIndex(record => record.Cells is not [(_, 0)]);
        if (first < 0) throw new DataFormatException(source, $"the table is empty: no header row");
        var (headerLine, headerCells) = records[first];
        var header = headerCells.Select(cell => Unquote(text, cell)).ToArray();
        if (header.Length > MaxColumns)
            throw new DataFormatException(source, $"the table has {header.Length} columns; impute-csv reads at most {MaxColumns}");
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int col = 0; col < header.Length; col++)
            if (!seen.TryAdd(header[col], col))
                throw new DataFormatException(source, $"columns {seen[header[col]] + 1} and {col + 1} are both named '{header[col]}'; give each column its own name");
        var rows = new List<(int Start, int Length)[]>();
        var lines = new List<int>(); // each row's first line in the file
        foreach (var (line, cells) in records.Take(last + 1).Skip(first + 1))
        {
            if (cells is [(_, 0)] && header.Length > 1) continue; // an empty line between rows; in a one-column table it is a blank cell
            if (cells.Length != header.Length)
                throw new DataFormatException(source, $"line {line} has {Count(cells.Length, "field")} but the header (line {headerLine}) has {header.Length}");
            rows.Add(cells);
            lines.Add(line);
        }
        if (rows.Count == 0) throw new DataFormatException(source, "the table has a header but no data rows");
        var warnings = new List<string>();
        var kinds = new ColumnKind[header.Length];
        var levels = new List<string[]>();
        for (int col = 0; col < header.Length; col++)
        {
            // A first pass over spans allocates nothing, so that long numeric columns cost no garbage.
            int present = 0, firstText = -1;
            bool whole = true;
            float largest = 0;
            for (int row = 0; row < rows.Count; row++)
            {
                var value = CellText(text, rows[row][col]);
                if (IsMissing(value)) continue;
                present++;
                if (!TryParse(value, out float number)) { firstText = row; break; }
                whole &= number == MathF.Round(number);
                largest = Math.Max(largest, Math.Abs(number));
            }
            if (firstText < 0 && present == 0)
                throw new DataFormatException(source, $"column '{header[col]}' has no observed value, so it cannot be imputed; drop it or fill it");
            if (firstText < 0)
            {
                kinds[col] = whole ? ColumnKind.Integer : ColumnKind.Real;
                if (whole && largest > MaxExactWhole)
                    warnings.Add($"column '{header[col]}' holds whole numbers beyond {MaxExactWhole.ToString("N0", CultureInfo.InvariantCulture)}, which 32-bit floats do not all hold: its imputed cells are good to about 7 significant digits and may fall just outside the observed range");
                continue;
            }
            // Spaces around a category are dropped, as around a number: "a, b" rows name the levels a and b.
            var observed = rows.Select(cells => Unquote(text, cells[col]).Trim()).Where(value => !IsMissing(value)).ToList();
            var distinct = observed.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            if (distinct.Length <= MaxCategories && 2 * distinct.Length <= observed.Count)
            {
                kinds[col] = ColumnKind.Categorical;
                levels.Add(distinct);
                if (NotANumber(text, rows, lines, col, firstText, observed) is { Length: > 0 } why)
                    warnings.Add($"column '{header[col]}' is categorical ({distinct.Length} values){why}");
                var once = observed.CountBy(value => value, StringComparer.Ordinal).Where(level => level.Value == 1).Select(level => level.Key).Order(StringComparer.Ordinal).ToArray();
                if (once.Length > 0)
                    warnings.Add($"column '{header[col]}' has {Count(once.Length, "category", "categories")} seen only once ('{once[0]}'{(once.Length > 1 ? ", ..." : "")}); it is kept, but the model learns little of it");
            }
            else
            {
                kinds[col] = ColumnKind.Text;
                warnings.Add($"column '{header[col]}' is free text ({distinct.Length} distinct values){NotANumber(text, rows, lines, col, firstText, observed)}; it is passed through unchanged, blanks included");
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
                string value = Unquote(text, rows[row][categorical[k]]).Trim();
                codes[row * categorical.Length + k] = IsMissing(value) ? -1 : Array.BinarySearch(levels[k], value, StringComparer.Ordinal);
            }
        }
        return new TabularTable(text, header, [.. rows], kinds, numeric, floats, mask, categorical, [.. levels], codes, warnings, source);
    }

    /// <summary>"1 field", "2 fields".</summary>
    private static string Count(int count, string one, string? many = null) => $"{count} {(count == 1 ? one : many ?? one + "s")}";

    /// <summary>The largest whole number from which every smaller one is exact in a 32-bit float: 2²⁴.</summary>
    public const float MaxExactWhole = 16_777_216f;

    /// <summary>
    /// For a text column whose observed cells are mostly numbers, what keeps it from being numeric: the first cell
    /// that is not a finite 32-bit number (row <paramref name="firstText"/>), with its line; else nothing.
    /// </summary>
    private static string NotANumber(string text, List<(int Start, int Length)[]> rows, List<int> lines, int col, int firstText, List<string> observed)
    {
        if (2 * observed.Count(LooksNumeric) < observed.Count) return ""; // the observed values are trimmed already
        string cell = Unquote(text, rows[firstText][col]).Trim();
        string why = !double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) ? (IsInfinity(cell) ? "is not finite" : "is not a number")
            : double.IsFinite(number) ? "is beyond the range of 32-bit floats (±3.4e38)" : "is not finite";
        return $", though most of its values are numbers: '{cell}' on line {lines[firstText]} {why}; fix or blank such cells to impute the column as numbers";
    }

    /// <summary>Whether a cell's text is a number of any size, or an infinity.</summary>
    private static bool LooksNumeric(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || IsInfinity(value);

    /// <summary>inf, +inf, -inf, infinity, in any case: what other tools write for an infinite float.</summary>
    private static bool IsInfinity(string value)
    {
        var unsigned = value.AsSpan().TrimStart("+-");
        return unsigned.Equals("inf", StringComparison.OrdinalIgnoreCase) || unsigned.Equals("infinity", StringComparison.OrdinalIgnoreCase);
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

    /// <summary>A field as a CSV writes it: quoted, with its quotes doubled, when it holds a comma, a quote or a line end.</summary>
    internal static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;

    /// <summary>A cell's unquoted text; a span into <paramref name="text"/> unless it holds doubled quotes.</summary>
    internal static ReadOnlySpan<char> CellText(string text, (int Start, int Length) cell)
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
                int openedOn = line;
                while (true)
                {
                    if (position >= text.Length) throw new DataFormatException(source, $"a quoted field opened on line {openedOn} never closes");
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
            // A record ends at \n, \r\n or the end of the text.
            records.Add((recordLine, [.. cells]));
            cells.Clear();
            if (position >= text.Length) break;
            if (text[position] == '\r' && position + 1 < text.Length && text[position + 1] == '\n') position++;
            position++;
            line++;
            recordLine = line;
            fieldStart = position;
            if (position >= text.Length) break; // a trailing line end does not start an empty record
        }
        return records;
    }
}

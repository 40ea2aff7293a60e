using VaeSharp.Data;

namespace VaeSharp.Imputation;

/// <summary>
/// Per-cell 90% intervals for the numeric cells of an imputed table, split-conformal style: an imputed cell gets
/// its value ± its column's half-width from the absolute errors the same method made on the held-out cells
/// (<see cref="HeldOutCheck"/>; one 90% quantile over all columns' errors, each scaled by its column's mean absolute
/// error, see <see cref="MethodScore.HalfWidths"/>), clipped to the observed range when the table is; an integer column's bounds are
/// rounded inward to the whole numbers inside (the imputed value, a whole number, stays inside): the check counts a
/// held-out cell inside when its error is at most the half-width, and a whole number is then exactly within these
/// bounds, where rounding to the nearest would let in errors up to half a unit more (a binary column's interval then
/// held both values whenever the half-width passed 0.5). An observed cell gets a zero-width interval at its value, written
/// as the file writes it.
/// </summary>
public static class ImputationIntervals
{
    /// <summary>
    /// The interval CSV: a header with, per numeric column in file order, <c>NAME_lower</c> and <c>NAME_upper</c>,
    /// then one row per table row (other columns left out), numbers in invariant round-trip form, "\n" line ends.
    /// </summary>
    /// <param name="encoding">The table imputed.</param>
    /// <param name="numbers">(Rows, NumericColumns): the written numbers, as <see cref="TableEncoding.Numbers"/> gives them.</param>
    /// <param name="score">The held-out score of the method that imputed them.</param>
    /// <param name="clip">Whether bounds stay inside the observed range.</param>
    /// <param name="text">Where the CSV goes.</param>
    public static void Write(TextWriter text, TableEncoding encoding, float[] numbers, MethodScore score, bool clip = true)
    {
        var table = encoding.Table;
        int numeric = table.NumericColumns.Count;
        text.Write(string.Join(',', table.NumericColumns.SelectMany(col => new[] { TabularCsv.Quote(table.Header[col] + "_lower"), TabularCsv.Quote(table.Header[col] + "_upper") })));
        text.Write('\n');
        for (int row = 0; row < table.Rows; row++)
        {
            for (int k = 0; k < numeric; k++)
            {
                if (k > 0) text.Write(',');
                if (table.Mask[row * numeric + k] != 0)
                {
                    // The file's own number, which a 32-bit float may not hold exactly (100000031, say).
                    var observed = table.CellText(row, table.NumericColumns[k]);
                    text.Write(observed);
                    text.Write(',');
                    text.Write(observed);
                    continue;
                }
                float value = numbers[row * numeric + k];
                var kind = table.Kinds[table.NumericColumns[k]];
                var (lower, upper) = (value - score.HalfWidths[k], value + score.HalfWidths[k]);
                if (clip) (lower, upper) = (Math.Max(lower, encoding.Minimum[k]), Math.Min(upper, encoding.Maximum[k]));
                if (kind == ColumnKind.Integer) (lower, upper) = (MathF.Ceiling(lower), MathF.Floor(upper));
                // Written as the table writes its numbers: a whole-number column's bounds in whole digits, never 1E+18.
                text.Write(TableEncoding.Format(lower, kind));
                text.Write(',');
                text.Write(TableEncoding.Format(upper, kind));
            }
            text.Write('\n');
        }
    }
}

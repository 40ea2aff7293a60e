using System.Globalization;

namespace VaeSharp.Cli;

/// <summary>
/// Parses <c>--fractions 0.1,0.2,...</c>: each above 0 and at most 1, as <c>--missing</c>, and no two the same as
/// <see cref="Format"/> writes them (they name tensors and table rows); a usage error names the option.
/// </summary>
internal static class Fractions
{
    public static double[] Parse(string text, string option = "--fractions")
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !(values[i] > 0 && values[i] <= 1))
                throw new UsageException($"'{text}' is not a list of fractions above 0 and at most 1, e.g. 0.1,0.5 ({option})");
        if (values.Length == 0) throw new UsageException($"no fractions given ({option})");
        if (values.GroupBy(Format).FirstOrDefault(same => same.Count() > 1) is { } repeated)
            throw new UsageException($"the fraction {repeated.Key} is given twice ({option})");
        return values;
    }

    public static string Format(double fraction) => fraction.ToString("0.0##", CultureInfo.InvariantCulture);
}

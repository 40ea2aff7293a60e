using System.Globalization;

namespace VaeSharp.Cli;

/// <summary>Parses <c>--fractions 0.1,0.2,...</c>: each in [0, 1], with a usage error naming the option.</summary>
internal static class Fractions
{
    public static double[] Parse(string text, string option = "--fractions")
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !(values[i] >= 0 && values[i] <= 1))
                throw new UsageException($"'{text}' is not a list of fractions between 0 and 1, e.g. 0.1,0.5 ({option})");
        if (values.Length == 0) throw new UsageException($"no fractions given ({option})");
        return values;
    }

    public static string Format(double fraction) => fraction.ToString("0.0##", CultureInfo.InvariantCulture);
}

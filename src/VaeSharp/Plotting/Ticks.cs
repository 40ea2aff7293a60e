using System.Globalization;

namespace VaeSharp.Plotting;

/// <summary>
/// Axis ticks at "nice" numbers (1, 2 or 5 times a power of ten), after Heckbert's "Nice numbers for graph labels"
/// (Graphics Gems, 1990), and their labels.
/// </summary>
public static class Ticks
{
    /// <summary>
    /// The nice tick positions inside [<paramref name="min"/>, <paramref name="max"/>]: evenly spaced by a step of 1, 2 or
    /// 5 × 10^k chosen so that there are at most <paramref name="maxCount"/> of them (and at least two, unless the range
    /// is a single point, which gets one tick). A positive <paramref name="minStep"/> keeps the step at least that,
    /// as whole-number axes such as epochs need.
    /// </summary>
    public static double[] Nice(double min, double max, int maxCount = 8, double minStep = 0)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max) throw new ArgumentException($"[{min}, {max}] is not a finite range");
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 2);
        if (min == max) return [min];
        double step = Math.Max(Step(min, max, maxCount), minStep);
        double first = Math.Ceiling(min / step - 1e-9) * step;
        var ticks = new List<double>();
        for (int k = 0; first + k * step <= max + step * 1e-9; k++)
            ticks.Add(Snap(first + k * step, step));
        return [.. ticks];
    }

    /// <summary>The spacing of <see cref="Nice"/>'s ticks: the smallest 1, 2 or 5 × 10^k that yields at most maxCount ticks.</summary>
    public static double Step(double min, double max, int maxCount = 8)
    {
        if (!(max > min) || !double.IsFinite(max - min)) throw new ArgumentException($"[{min}, {max}] is not a finite, non-empty range");
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 2);
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10((max - min) / maxCount)));
        foreach (double multiple in (ReadOnlySpan<double>)[1, 2, 5, 10, 20])
        {
            double step = multiple * magnitude;
            if (Math.Floor(max / step + 1e-9) - Math.Ceiling(min / step - 1e-9) + 1 <= maxCount) return step;
        }
        return 50 * magnitude;
    }

    /// <summary>
    /// The label of a tick at <paramref name="value"/> on an axis whose ticks are <paramref name="step"/> apart: as many
    /// decimals as the step needs and no more, a hyphen for minus, and never "-0".
    /// </summary>
    public static string Format(double value, double step)
    {
        int decimals = step > 0 && double.IsFinite(step) ? Math.Clamp(-(int)Math.Floor(Math.Log10(step) + 1e-9), 0, 10) : 2;
        string text = Math.Round(value, decimals).ToString("F" + decimals, CultureInfo.InvariantCulture);
        return text.TrimStart('-').Trim('0', '.').Length == 0 ? text.TrimStart('-') : text;
    }

    /// <summary>Rounds away the floating-point residue of k·step, so 0.1·3 labels as 0.3 and 0 is exactly 0.</summary>
    private static double Snap(double value, double step) =>
        Math.Abs(value) < step * 1e-9 ? 0 : Math.Round(value / step) * step;
}

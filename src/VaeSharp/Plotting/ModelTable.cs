using System.Globalization;
using VaeSharp.Models;

namespace VaeSharp.Plotting;

/// <summary>The rows of a model's layer table for reports: part, layer, its parameters with their shapes, and their count.</summary>
public static class ModelTable
{
    /// <summary>The column headings that go with <see cref="Rows"/>.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["part", "layer", "parameters", "count"];

    /// <summary>One row per layer, in order, then a total row.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Rows(VaeModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (part, layer) in model.Layers)
        {
            var parameters = layer.Parameters.ToList();
            string names = string.Join(", ", parameters.Select(entry => $"{entry.Name} {entry.Parameter.Shape}"));
            rows.Add([part, layer.Describe(), names, Count(parameters.Sum(entry => (long)entry.Parameter.Shape.Size))]);
        }
        rows.Add(["total", "", "", Count(model.Parameters.Count)]);
        return rows;
    }

    private static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);
}

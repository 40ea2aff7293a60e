using System.Globalization;
using VaeSharp.Models;

namespace VaeSharp.Plotting;

/// <summary>The rows of a model's layer table for reports, from <see cref="VaeModel.Summary"/>: the same table as <c>vae summary</c>.</summary>
public static class ModelTable
{
    /// <summary>The column headings that go with <see cref="Rows"/>.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["layer", "type", "output shape", "parameters"];

    /// <summary>One row per layer, in order, then a total row.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Rows(VaeModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var row in model.Summary())
            rows.Add([row.Name, row.Description, row.OutputShape.ToString(), Count(row.Parameters)]);
        rows.Add(["total", "", "", Count(model.Parameters.Count)]);
        return rows;
    }

    private static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);
}

using System.Globalization;
using VaeSharp.Tensors;

namespace VaeSharp.Plotting;

/// <summary>
/// The scatter of latent means coloured by digit, laid out for the latent size: latent 2 is one plot, latent 3 three
/// pairwise projections side by side, and a larger latent its 2-D PCA projection (the title says so). Latent 1 is
/// drawn against the digit label.
/// </summary>
public static class LatentPlot
{
    private const int PanelWidth = 560;
    private const int SinglePanelWidth = 860;
    private const int PanelHeight = 660;
    private const int LegendColumn = 110;
    private const int HeadingHeight = 40;

    /// <summary>Draws the figure for latent means <paramref name="means"/> (count, latent).</summary>
    /// <param name="means">(count, latent) latent means.</param>
    /// <param name="labels">A digit 0..9 per row, or null.</param>
    /// <param name="labelsAsText">Draw a subsample of points as their digit instead of dots.</param>
    public static Canvas Draw(Tensor means, byte[]? labels, bool labelsAsText = false)
    {
        ArgumentNullException.ThrowIfNull(means);
        if (means.Shape.Rank != 2 || means.Shape.Rows < 1) throw new ArgumentException($"latent means must be (count, latent), not {means.Shape}", nameof(means));
        if (labels is not null && labels.Length != means.Shape.Rows) throw new ArgumentException($"{labels.Length} labels for {means.Shape.Rows} points", nameof(labels));
        int count = means.Shape.Rows, latent = means.Shape.Cols;
        string points = count.ToString("N0", CultureInfo.InvariantCulture);
        return latent switch
        {
            1 => Panels($"Latent means of {points} images, by digit", [(Column(means, 0), Labels(labels, count), "z[0]", "digit", null)], labels, labelsAsText),
            2 => Panels($"Latent means of {points} images", [(Column(means, 0), Column(means, 1), "z[0]", "z[1]", null)], labels, labelsAsText),
            3 => Panels($"Latent means of {points} images: the three pairwise projections",
            [
                (Column(means, 0), Column(means, 1), "z[0]", "z[1]", "z[0] vs z[1]"),
                (Column(means, 0), Column(means, 2), "z[0]", "z[2]", "z[0] vs z[2]"),
                (Column(means, 1), Column(means, 2), "z[1]", "z[2]", "z[1] vs z[2]"),
            ], labels, labelsAsText),
            _ => Projected(means, labels, labelsAsText, points),
        };
    }

    private static Canvas Projected(Tensor means, byte[]? labels, bool labelsAsText, string points)
    {
        var pca = Pca.Fit(means, 2);
        var projected = pca.Project(means);
        string Share(int k) => pca.TotalVariance > 0 ? $" ({100 * pca.Variances[k] / pca.TotalVariance:F0}% of variance)" : "";
        return Panels($"PCA of the {means.Shape.Cols}-d latent means of {points} images",
            [(Column(projected, 0), Column(projected, 1), "PC1" + Share(0), "PC2" + Share(1), null)], labels, labelsAsText);
    }

    private static Canvas Panels(string heading, (double[] Xs, double[] Ys, string XTitle, string YTitle, string? Title)[] panels, byte[]? labels, bool labelsAsText)
    {
        int panelWidth = panels.Length == 1 ? SinglePanelWidth : PanelWidth;
        var canvas = new Canvas(panels.Length * panelWidth + LegendColumn, PanelHeight + HeadingHeight, Palette.Background);
        canvas.DrawText((canvas.Width - BitmapFont.MeasureWidth(heading, Axes.TextScale)) / 2, 14, heading, Palette.Ink, Axes.TextScale);
        for (int p = 0; p < panels.Length; p++)
        {
            var panel = new PixelRect(p * panelWidth, HeadingHeight, panelWidth, PanelHeight);
            var frame = panel.Inset(Axes.MarginLeft, Axes.MarginTop, 16, Axes.MarginBottom);
            var (xs, ys, xTitle, yTitle, title) = panels[p];
            ScatterPlot.Draw(canvas, Axes.Fit(frame, xs, ys), xs, ys, labels, xTitle, yTitle, title, labelsAsText);
        }
        if (labels is not null)
        {
            var entries = Legend.Digits();
            var (_, height) = Legend.MeasureColumn(entries, "digit");
            Legend.DrawColumn(canvas, panels.Length * panelWidth + 16, HeadingHeight + (PanelHeight - height) / 2, entries, "digit");
        }
        return canvas;
    }

    private static double[] Column(Tensor matrix, int column)
    {
        var values = new double[matrix.Shape.Rows];
        for (int i = 0; i < values.Length; i++) values[i] = matrix.Row(i)[column];
        return values;
    }

    private static double[] Labels(byte[]? labels, int count) =>
        labels is null ? new double[count] : [.. labels.Select(label => (double)label)];
}

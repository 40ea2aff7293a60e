using VaeSharp.Training;

namespace VaeSharp.Plotting;

/// <summary>The loss curves of a run: total, reconstruction and KL per epoch, training beside validation, in three panels.</summary>
public static class TrainingCurves
{
    private const int PanelWidth = 560;
    private const int PanelHeight = 640;

    private static readonly Color TrainColor = Palette.Category(0);
    private static readonly Color TestColor = Palette.Category(1);

    /// <summary>Draws the three panels for <paramref name="history"/>; epochs without validation leave the test curve out.</summary>
    public static Canvas Draw(IReadOnlyList<EpochMetrics> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0) throw new ArgumentException("there are no epochs to draw", nameof(history));
        double[] epochs = [.. history.Select(metrics => (double)metrics.Epoch)];
        var canvas = new Canvas(3 * PanelWidth, PanelHeight, Palette.Background);
        (string Title, Func<EpochMetrics, double> Train, Func<EpochMetrics, double?> Test)[] panels =
        [
            ("Loss (-ELBO) per example", metrics => metrics.TrainLoss, metrics => metrics.TestNegElbo),
            ("Reconstruction per example", metrics => metrics.TrainReconstruction, metrics => metrics.TestReconstruction),
            ("KL per example", metrics => metrics.TrainKl, metrics => metrics.TestKl),
        ];
        for (int p = 0; p < panels.Length; p++)
        {
            var (title, train, test) = panels[p];
            var series = new List<LineSeries> { new("train", epochs, [.. history.Select(train)], TrainColor) };
            if (history.Any(metrics => test(metrics) is not null))
                series.Add(new LineSeries("test", epochs, [.. history.Select(metrics => test(metrics) ?? double.NaN)], TestColor));
            LinePlot.Draw(canvas, new PixelRect(p * PanelWidth, 0, PanelWidth, PanelHeight), series, "epoch", "nats", title, integerX: true);
        }
        return canvas;
    }
}

using VaeSharp.Models;
using VaeSharp.Plotting;
using VaeSharp.Tensors;
using VaeSharp.Training;

namespace VaeSharp.Tests.Plotting;

public class FigureTests
{
    private static (Tensor Means, byte[] Labels) Cloud(int latent, int count = 300)
    {
        var means = new Tensor(new Shape(count, latent));
        new Rng(9).FillGaussian(means.Span);
        return (means, [.. Enumerable.Range(0, count).Select(i => (byte)(i % 10))]);
    }

    private static bool HasColor(Canvas canvas, Color color)
    {
        for (int y = 0; y < canvas.Height; y++)
            for (int x = 0; x < canvas.Width; x++)
                if (canvas.GetPixel(x, y) == color) return true;
        return false;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(6)]
    public void LatentPlotsAreLargeAndCarryEveryLegendColour(int latent)
    {
        var (means, labels) = Cloud(latent);
        var canvas = LatentPlot.Draw(means, labels);
        Assert.True(canvas.Width >= 800 && canvas.Height >= 600, $"{canvas.Width}x{canvas.Height}");
        Assert.All(Palette.Tab10, color => Assert.True(HasColor(canvas, color), color.ToHex()));
    }

    [Fact]
    public void ThreeLatentDimensionsGetThreePanelsSideBySide()
    {
        var (two, labels) = Cloud(2);
        var (three, _) = Cloud(3);
        Assert.True(LatentPlot.Draw(three, labels).Width > 1.5 * LatentPlot.Draw(two, labels).Width);
    }

    [Fact]
    public void LabelsAsTextDrawsDigitsInTheirColours()
    {
        var (means, labels) = Cloud(2);
        var canvas = LatentPlot.Draw(means, labels, labelsAsText: true);
        Assert.All(Palette.Tab10, color => Assert.True(HasColor(canvas, color), color.ToHex()));
    }

    [Fact]
    public void CurvesAreThreeLargePanels()
    {
        EpochMetrics[] history =
        [
            new() { Epoch = 1, TrainLoss = 190, TrainReconstruction = 180, TrainKl = 10, TestNegElbo = 170, TestReconstruction = 162, TestKl = 8 },
            new() { Epoch = 2, TrainLoss = 160, TrainReconstruction = 150, TrainKl = 10, TestNegElbo = 158, TestReconstruction = 149, TestKl = 9 },
        ];
        var canvas = TrainingCurves.Draw(history);
        Assert.True(canvas.Width >= 800 && canvas.Height >= 600);
        Assert.True(HasColor(canvas, Palette.Category(0)) && HasColor(canvas, Palette.Category(1)));
        Assert.Throws<ArgumentException>(() => TrainingCurves.Draw([]));
    }

    [Fact]
    public void ManifoldFigureFramesTheBareGridWithMargins()
    {
        var model = new VaeModel(new ModelSpec { InputShape = [28, 28], Hidden = [8], Latent = 4 }, new Rng(1));
        var axis = Manifold.GaussianAxis(6);
        var canvas = ManifoldFigure.Draw(model, axis, 2, 3, 28, 28, 2, ManifoldFigure.Title(4, 2, 3, true, 0));
        Assert.True(canvas.Width > 6 * 56 + 60 && canvas.Height > 6 * 56 + 60);
        var images = Manifold.Decode(model, axis, 2, 3);
        // Cell (row 0, col 0) decodes z = (0, 0, axis[0], axis[^1]).
        ManifoldTests.AssertClose(model.Decode(Tensor.FromArray([0, 0, axis[0], axis[^1]], 1, 4)).ToArray(), images.Row(0).ToArray());
        Assert.Throws<ArgumentException>(() => Manifold.Decode(model, axis, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Manifold.Decode(model, axis, 0, 4));
    }

    [Fact]
    public void ReconstructionsSitUnderTheirInputsInBands()
    {
        // 12 pairs of 1x1 images: two bands of 10 columns, 2 + 2 rows, and a 2-pixel gray separator.
        float[] inputs = [.. Enumerable.Range(0, 12).Select(_ => 1f)];
        float[] reconstructions = new float[12];
        Assert.Equal((10, 6), ReconstructionGrid.Size(12, 1, 1));
        byte[] grid = ReconstructionGrid.Tile(inputs, reconstructions, 12, 1, 1);
        Assert.All(grid.AsSpan(0, 10).ToArray(), value => Assert.Equal(255, value));
        Assert.All(grid.AsSpan(10, 10).ToArray(), value => Assert.Equal(0, value));
        Assert.All(grid.AsSpan(20, 20).ToArray(), value => Assert.Equal(128, value));
        Assert.Equal(new byte[] { 255, 255, 0, 0, 0, 0, 0, 0, 0, 0 }, grid.AsSpan(40, 10).ToArray());
    }
}

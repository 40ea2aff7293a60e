using VaeSharp.Data;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Data;

public class MasksTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void PixelMaskHidesTheFractionAskedFor(double fraction)
    {
        var mask = Masks.Create(MaskKind.Pixel, fraction, 200, 28, 28, new Rng(1));

        Assert.All(mask, value => Assert.True(value is 0 or 1));
        Assert.Equal(fraction, Masks.MissingFraction(mask), 0.01); // 156,800 Bernoulli draws: σ ≈ 0.0013
    }

    [Fact]
    public void ZeroAndOneHideNothingAndEverything()
    {
        Assert.Equal(0, Masks.MissingFraction(Masks.Create(MaskKind.Pixel, 0, 3, 28, 28, new Rng(1))));
        Assert.Equal(1, Masks.MissingFraction(Masks.Create(MaskKind.Pixel, 1, 3, 28, 28, new Rng(1))));
        Assert.Equal(0, Masks.MissingFraction(Masks.Create(MaskKind.Line, 0, 3, 28, 28, new Rng(1))));
    }

    [Theory]
    [InlineData(0.1, 1)]
    [InlineData(0.2, 3)]
    [InlineData(0.5, 7)]
    [InlineData(0.9, 13)]
    public void LinesPerAxisIsRoundOf28FractionOverTwo(double fraction, int lines) =>
        Assert.Equal(lines, Masks.LinesPerAxis(fraction));

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void LineMaskHidesWholeRowsFrom5To22AndColumnsFrom8To19(double fraction)
    {
        var mask = Masks.Create(MaskKind.Line, fraction, 100, 28, 28, new Rng(2));
        int lines = Masks.LinesPerAxis(fraction);
        for (int example = 0; example < 100; example++)
        {
            var image = mask.AsSpan(example * 784, 784).ToArray();
            var hiddenRows = Enumerable.Range(0, 28).Where(r => Enumerable.Range(0, 28).All(c => image[r * 28 + c] == 0)).ToList();
            var hiddenCols = Enumerable.Range(0, 28).Where(c => Enumerable.Range(0, 28).All(r => image[r * 28 + c] == 0)).ToList();
            Assert.All(hiddenRows, r => Assert.InRange(r, Masks.LineRowFirst, Masks.LineRowLast));
            Assert.All(hiddenCols, c => Assert.InRange(c, Masks.LineColFirst, Masks.LineColLast));
            // Drawn with replacement: between 1 and s distinct lines per axis.
            Assert.InRange(hiddenRows.Count, 1, lines);
            Assert.InRange(hiddenCols.Count, 1, lines);
            // Every missing pixel lies on a hidden row or column.
            for (int p = 0; p < 784; p++)
                if (image[p] == 0) Assert.True(hiddenRows.Contains(p / 28) || hiddenCols.Contains(p % 28), $"pixel {p}");
        }
    }

    [Theory]
    [InlineData(MaskKind.Pixel)]
    [InlineData(MaskKind.Line)]
    public void SameSeedGivesTheSameMasksAndAnotherSeedDoesNot(MaskKind kind)
    {
        var first = Masks.Create(kind, 0.5, 50, 28, 28, new Rng(9));
        Assert.Equal(first, Masks.Create(kind, 0.5, 50, 28, 28, new Rng(9)));
        Assert.NotEqual(first, Masks.Create(kind, 0.5, 50, 28, 28, new Rng(10)));
    }

    [Fact]
    public void LineMaskNeeds28By28() =>
        Assert.Throws<ArgumentException>(() => Masks.Create(MaskKind.Line, 0.5, 1, 8, 8, new Rng(1)));

    [Fact]
    public void DatasetCarriesItsMaskThroughSubsetAndTake()
    {
        var data = new Dataset(new byte[3 * 4], [0, 1, 2], 3, 2, 2, "tiny").WithMask([1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 0]);
        var batch = new float[8];
        data.CopyMaskBatch([2, 0], batch);
        Assert.Equal([1f, 1, 1, 0, 1, 0, 1, 0], batch);
        Assert.Equal([1, 1, 1, 0], data.Subset([2]).Mask);
        Assert.Equal([1, 0, 1, 0], data.Take(1).Mask);
        Assert.Throws<ArgumentException>(() => data.WithMask(new byte[5]));
    }
}

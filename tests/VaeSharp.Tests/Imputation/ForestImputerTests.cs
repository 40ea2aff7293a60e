using VaeSharp.Imputation;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Imputation;

public class ForestImputerTests
{
    /// <summary>y = sin(3x)·|x| + a step on 300 rows, every 4th y missing: (values, mask, truth).</summary>
    private static (MissingData Data, float[] Truth) Nonlinear()
    {
        int rows = 300;
        var values = new float[rows * 2];
        var mask = new byte[rows * 2];
        for (int r = 0; r < rows; r++)
        {
            float x = -2f + 4f * r / rows;
            values[2 * r] = x;
            values[2 * r + 1] = MathF.Sin(3 * x) * MathF.Abs(x) + (x > 0.5f ? 2f : 0f);
            mask[2 * r] = 1;
            mask[2 * r + 1] = r % 4 == 1 ? (byte)0 : (byte)1;
        }
        var truth = (float[])values.Clone();
        return (new MissingData(values, mask, rows, 2), truth);
    }

    [Fact]
    public void RecoversANonlinearRelationFarBetterThanMeanOrIterative()
    {
        var (data, truth) = Nonlinear();
        double forest = ImputationScores.Compute(truth, new ForestImputer(seed: 1).Fit(data).Transform(data), data.Mask).Rmse;
        double iterative = ImputationScores.Compute(truth, new IterativeImputer().Fit(data).Transform(data), data.Mask).Rmse;
        double mean = ImputationScores.Compute(truth, new MeanImputer().Fit(data).Transform(data), data.Mask).Rmse;
        Assert.True(forest < 0.3 * iterative && forest < 0.3 * mean, $"forest {forest}, iterative {iterative}, mean {mean}");
    }

    /// <summary>1,800 rows in 900 pairs that share x; every third pair hides one copy's y.</summary>
    private static MissingData Twins()
    {
        int rows = 1800;
        var values = new float[rows * 2];
        var mask = new byte[rows * 2];
        for (int r = 0; r < rows; r++)
        {
            values[2 * r] = r / 2;
            values[2 * r + 1] = 10f * MathF.Sin(r / 2);
            mask[2 * r] = 1;
            mask[2 * r + 1] = r % 6 == 1 ? (byte)0 : (byte)1;
        }
        return new MissingData(values, mask, rows, 2);
    }

    [Fact]
    public void OnATableOfUpTo2048RowsAOneRowLeafChainIsolatesARowAsScikitLearnsTreesDo()
    {
        // A tree whose leaves may hold a single row isolates the observed twin, so every tree predicts its y exactly;
        // leaves of at least ⌈1800 / 512⌉ = 4 rows (the old bound) would average in the neighbours' y.
        var data = Twins();
        var imputed = new ForestImputer(seed: 3, leafRows: [1]).Fit(data).Transform(data);
        for (int r = 1; r < data.Rows; r += 6)
            Assert.Equal(data.Values[2 * (r - 1) + 1], imputed[2 * r + 1]);
    }

    [Fact]
    public void AThreeRowLeafChainAveragesInTheNeighbours()
    {
        var data = Twins();
        var imputed = new ForestImputer(seed: 3, leafRows: [3]).Fit(data).Transform(data);
        int exact = Enumerable.Range(0, data.Rows / 6).Count(pair => imputed[2 * (6 * pair + 1) + 1] == data.Values[2 * 6 * pair + 1]);
        Assert.True(exact < data.Rows / 60, $"{exact} of {data.Rows / 6} twins copied exactly");
    }

    [Theory]
    [InlineData(50, 25, 25)]
    [InlineData(51, 26, 25)]
    public void TheDefaultImputesTheMeanOfAOneRowLeafChainAndAThreeRowLeafChainEachWithHalfTheTrees(int trees, int fineTrees, int coarseTrees)
    {
        // The first chain seeds as a one-chain forest of the same seed; the second with the first draw of Rng(seed).
        var (data, _) = Nonlinear();
        var both = new ForestImputer(seed: 5, trees: trees).Fit(data).Transform(data);
        var fine = new ForestImputer(seed: 5, trees: fineTrees, leafRows: [1]).Fit(data).Transform(data);
        var coarse = new ForestImputer(seed: new Rng(5).NextUInt64(), trees: coarseTrees, leafRows: [3]).Fit(data).Transform(data);
        Assert.NotEqual(fine, coarse);
        for (int i = 0; i < both.Length; i++)
            Assert.Equal(data.Mask[i] == 1 ? data.Values[i] : (fine[i] + coarse[i]) / 2, both[i]);
    }

    [Fact]
    public void OnALongTableAChainsLeafRowsMultiplyTheRowsALeafKeeps()
    {
        // y's regression fits on the 1,500 rows that observe it: leaves of 3 × ⌈1500 / 500⌉ = 9 rows are those of
        // 1 × ⌈1500 / 167⌉ = 9 (x is never missing, so its own trees impute nothing).
        var data = Twins();
        var multiplied = new ForestImputer(seed: 4, maxLeaves: 500, leafRows: [3]).Fit(data).Transform(data);
        var bounded = new ForestImputer(seed: 4, maxLeaves: 167, leafRows: [1]).Fit(data).Transform(data);
        Assert.Equal(bounded, multiplied);
        Assert.NotEqual(new ForestImputer(seed: 4, maxLeaves: 500, leafRows: [1]).Fit(data).Transform(data), multiplied);
    }

    [Fact]
    public void ObservedCellsComeBackExactWhateverTheChains()
    {
        var (data, _) = Nonlinear();
        var imputed = new ForestImputer(seed: 6, trees: 30, leafRows: [1, 2, 3]).Fit(data).Transform(data);
        for (int i = 0; i < imputed.Length; i++)
            if (data.Mask[i] == 1) Assert.Equal(data.Values[i], imputed[i]);
    }

    [Fact]
    public void OnNoisyDataTheTwoChainsBeatOneRowLeavesAlone()
    {
        // y = x + noise of sd 1: single-row leaves copy a neighbour's noise; the chain of larger leaves smooths it.
        var rng = new Rng(11);
        int rows = 400;
        var values = new float[rows * 2];
        var mask = new byte[rows * 2];
        var noise = new float[rows];
        rng.FillGaussian(noise);
        for (int r = 0; r < rows; r++)
        {
            values[2 * r] = (float)(4 * rng.NextDouble());
            values[2 * r + 1] = values[2 * r] + noise[r];
            (mask[2 * r], mask[2 * r + 1]) = (1, r % 4 == 1 ? (byte)0 : (byte)1);
        }
        var truth = (float[])values.Clone();
        var data = new MissingData(values, mask, rows, 2);
        double two = ImputationScores.Compute(truth, new ForestImputer(seed: 2).Fit(data).Transform(data), mask).Rmse;
        double one = ImputationScores.Compute(truth, new ForestImputer(seed: 2, leafRows: [1]).Fit(data).Transform(data), mask).Rmse;
        Assert.True(two < 0.95 * one, $"two chains {two}, one-row leaves {one}");
    }

    [Theory]
    [InlineData(new int[0], 50)]
    [InlineData(new[] { 1, 0 }, 50)]
    [InlineData(new[] { 1, 3 }, 1)]
    public void RefusesNoChainAZeroRowLeafOrFewerTreesThanChains(int[] leafRows, int trees) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ForestImputer(trees: trees, leafRows: leafRows));

    [Fact]
    public void ASeedGivesTheSameImputationAndAnotherSeedAnother()
    {
        var (data, _) = Nonlinear();
        var first = new ForestImputer(seed: 7).Fit(data).Transform(data);
        Assert.Equal(first, new ForestImputer(seed: 7).Fit(data).Transform(data));
        Assert.NotEqual(first, new ForestImputer(seed: 8).Fit(data).Transform(data));
        for (int i = 0; i < first.Length; i++) if (data.Mask[i] == 1) Assert.Equal(data.Values[i], first[i]);
    }
}

using VaeSharp.Imputation;

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

    [Fact]
    public void OnATableOfUpTo2048RowsATreeLeafHoldsOneRowAsInScikitLearn()
    {
        // 1,800 rows in 900 pairs that share x; every third pair hides one copy's y. A tree whose leaves may hold a
        // single row isolates the observed twin, so every tree predicts its y exactly; leaves of at least
        // ⌈1800 / 512⌉ = 4 rows (the old bound) would average in the neighbours' y.
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
        var data = new MissingData(values, mask, rows, 2);
        var imputed = new ForestImputer(seed: 3).Fit(data).Transform(data);
        for (int r = 1; r < rows; r += 6)
            Assert.Equal(values[2 * (r - 1) + 1], imputed[2 * r + 1]);
    }

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

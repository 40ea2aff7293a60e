using VaeSharp.Imputation;

namespace VaeSharp.Tests.Imputation;

public class BaselineTests
{
    private static MissingData Table(float[] values, byte[] mask, int cols) => new(values, mask, values.Length / cols, cols);

    [Fact]
    public void MeanFillsWithTheObservedColumnMeanAndKeepsObservedValues()
    {
        var data = Table([1, 10, 3, float.NaN, float.NaN, 30], [1, 1, 1, 0, 0, 1], 2);
        var imputed = new MeanImputer().Fit(data).Transform(data);
        Assert.Equal([1f, 10, 3, 20, 2, 30], imputed);
    }

    [Fact]
    public void KnnAveragesTheKNearestRowsThatObserveTheColumn()
    {
        // Row 3 misses column 1. Over column 0 (the only shared one), rows 0 and 1 are nearest (distances 0 and 1),
        // row 2 is far (9). Row 1 does not observe column 1, so with k = 2 the donors are rows 0 and 2.
        var reference = Table([0, 100, 1, 0, 9, 300, 0, 0], [1, 1, 1, 0, 1, 1, 1, 0], 2);
        Assert.Equal(200f, new KnnImputer(2).Fit(reference).Transform(reference)[7]);
        Assert.Equal(100f, new KnnImputer(1).Fit(reference).Transform(reference)[7]);
    }

    [Fact]
    public void KnnUsesTheNanEuclideanDistanceOverSharedCoordinates()
    {
        // Target (1, ?, 5) against donor A (1, 7, 9): shared coordinates 0 and 2, distance² = 3/2 · 16 = 24.
        // Donor B (?, 8, 1) shares only coordinate 2: distance² = 3/1 · 16 = 48. So A is nearer.
        var reference = Table([1, 7, 9, 0, 8, 1], [1, 1, 1, 0, 1, 1], 3);
        var target = Table([1, 0, 5], [1, 0, 1], 3);
        Assert.Equal([1f, 7, 5], new KnnImputer(1).Fit(reference).Transform(target));
    }

    [Fact]
    public void KnnFallsBackToTheMeanWhenNoNeighbourObservesTheColumn()
    {
        var reference = Table([1, 2, 3, 4], [1, 1, 1, 1], 2);
        var target = Table([0, 0], [0, 0], 2); // no shared coordinate with anyone
        Assert.Equal([2f, 3], new KnnImputer(1).Fit(reference).Transform(target));
    }

    [Fact]
    public void IterativeRecoversAnExactLinearRelation()
    {
        // y = 2x + 1 on 40 rows; a few y are missing. Bayesian ridge learns a tiny penalty and nearly recovers the line.
        int rows = 40;
        var values = new float[rows * 2];
        var mask = new byte[rows * 2];
        for (int r = 0; r < rows; r++)
        {
            values[2 * r] = r;
            values[2 * r + 1] = 2 * r + 1;
            mask[2 * r] = 1;
            mask[2 * r + 1] = r % 5 == 2 ? (byte)0 : (byte)1;
        }
        var truth = (float[])values.Clone();
        var data = Table(values, mask, 2);
        var imputed = new IterativeImputer().Fit(data).Transform(data);
        for (int r = 2; r < rows; r += 5) Assert.Equal(truth[2 * r + 1], imputed[2 * r + 1], 0.05);
        for (int i = 0; i < values.Length; i++) if (mask[i] == 1) Assert.Equal(values[i], imputed[i]);
        // Mean imputation cannot do this: its error is the spread of y.
        Assert.True(ImputationScores.Compute(truth, imputed, mask).Rmse < 0.1);
        Assert.True(ImputationScores.Compute(truth, new MeanImputer().Fit(data).Transform(data), mask).Rmse > 10);
    }

    [Fact]
    public void ScoresCountMissingEntriesOnly()
    {
        var scores = ImputationScores.Compute([1, 2, 3, 4], [1, 5, 3, 0], [1, 0, 0, 1]);
        Assert.Equal((3.0 / Math.Sqrt(2), 1.5, 2L), (scores.Rmse, scores.Mae, scores.Count));
    }

    [Fact]
    public void MultipleImputationStatisticsAreEntrywise()
    {
        var result = MultipleImputation.FromDraws([[1f, 5f], [3f, 5f]]);
        Assert.Equal([2f, 5f], result.Mean);
        Assert.Equal([1f, 0f], result.StandardDeviation);
    }
}

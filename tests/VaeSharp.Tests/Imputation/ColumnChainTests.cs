using VaeSharp.Imputation;

namespace VaeSharp.Tests.Imputation;

/// <summary>The chaining loop that the iterative and forest imputers share.</summary>
public class ColumnChainTests
{
    /// <summary>Three rows of two columns, one cell missing in each column.</summary>
    private static MissingData TwoColumns() => new([1f, 0f, 0f, 5f, 3f, 7f], [1, 0, 0, 1, 1, 1], rows: 3, cols: 2);

    /// <summary>A chain of three rounds whose every regression in round r predicts r + 1; a zero tolerance never stops it early.</summary>
    private static ColumnChain RoundNumbers(bool averageRounds) =>
        new(rounds: 3, maxPredictors: 1, tolerance: 0, blocks: [], averageRounds, (_, _, _, _, round, _) => new ConstantRegression(round + 1));

    [Fact]
    public void TheLastRoundsPredictionsAreImputedByDefault()
    {
        var data = TwoColumns();
        var chain = RoundNumbers(averageRounds: false);
        chain.Fit(data);
        Assert.Equal(3, chain.RoundsRun);
        Assert.Equal([1f, 3f, 3f, 5f, 3f, 7f], chain.Transform(data));
    }

    [Fact]
    public void AveragingRoundsImputesTheMeanOfTheRoundsAfterTheFirstAndKeepsObservedCells()
    {
        var data = TwoColumns();
        var chain = RoundNumbers(averageRounds: true);
        chain.Fit(data);
        Assert.Equal([1f, 2.5f, 2.5f, 5f, 3f, 7f], chain.Transform(data)); // (2 + 3) / 2: round 1 starts from the means
    }
}

using VaeSharp.Imputation;

namespace VaeSharp.Tests.Imputation;

public class MissingDataTests
{
    /// <summary>rows × 3: column 0 complete, column 1 observed in <paramref name="rareRow"/> only, column 2 never.</summary>
    private static MissingData RareColumn(int rows, int rareRow)
    {
        var values = new float[rows * 3];
        var mask = new byte[rows * 3];
        for (int row = 0; row < rows; row++) (values[row * 3], mask[row * 3]) = (row, 1);
        (values[rareRow * 3 + 1], mask[rareRow * 3 + 1]) = (42, 1);
        return new MissingData(values, mask, rows, 3);
    }

    [Fact]
    public void ASampleAddsTheOnlyRowThatObservesAColumnWhenTheDrawMissesIt()
    {
        var data = RareColumn(1000, rareRow: 777);
        int added = 0;
        for (ulong seed = 1; seed <= 20; seed++)
        {
            var rows = data.SampleRows(100, seed);
            Assert.Contains(777, rows);
            Assert.Equal(rows.Order(), rows);
            Assert.Equal(rows.Length, rows.Distinct().Count());
            added += rows.Length - 100;
            Assert.InRange(rows.Length, 100, 101); // column 2 is observed nowhere, so nothing can cover it
        }
        Assert.True(added > 0, "no seed's draw missed row 777, so the test proved nothing");
    }

    [Fact]
    public void ASampleOfACoveredTableIsThePlainSeededDraw()
    {
        var data = RareColumn(1000, rareRow: 777);
        var complete = new MissingData(data.Values, [.. data.Mask.Select((_, i) => (byte)1)], 1000, 3);
        var rows = complete.SampleRows(100, 9);
        Assert.Equal(100, rows.Length);
        Assert.Equal(rows, complete.SampleRows(100, 9));
        Assert.NotEqual(rows, complete.SampleRows(100, 10));
        Assert.Equal(Enumerable.Range(0, 1000), complete.SampleRows(1000, 9));
    }

    [Fact]
    public void SelectRowsCopiesThoseRowsValuesAndMaskInOrder()
    {
        var data = RareColumn(10, rareRow: 4);
        var subset = data.SelectRows([4, 9]);
        Assert.Equal((2, 3), (subset.Rows, subset.Cols));
        Assert.Equal([4f, 42, 0, 9, 0, 0], subset.Values);
        Assert.Equal(new byte[] { 1, 1, 0, 1, 0, 0 }, subset.Mask);
    }
}

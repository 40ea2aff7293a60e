using VaeSharp.Data;
using VaeSharp.Imputation;

namespace VaeSharp.Tests.Imputation;

/// <summary>The interval CSV of <c>--interval-out</c>.</summary>
public class ImputationIntervalsTests
{
    /// <summary>
    /// The interval rows of a table whose whole-number column n (observed 1 to 5) is missing in row 2 and imputed as
    /// 3.2 (written 3), and whose real column x is missing in row 3 and imputed as 2; n's half-width is
    /// <paramref name="width"/>, x's 0.5.
    /// </summary>
    private static string[] Intervals(float width)
    {
        var encoding = TableEncoding.For(TabularCsv.Parse("n,x\n1,0.5\n,1.5\n5,\n3,3.5\n", "t.csv"));
        float[] completed = [1, 0.5f, 3.2f, 1.5f, 5, 2, 3, 3.5f]; // (rows 4, cols 2)
        var score = new MethodScore("iterative", 0.5, null, [width, 0.5f]);
        var text = new StringWriter();
        ImputationIntervals.Write(text, encoding, encoding.Numbers(completed), score);
        return text.ToString().Split('\n');
    }

    [Theory]
    [InlineData(0.6f, "3,3")] // errors of 1 are outside a half-width of 0.6: only 3 itself (rounding 2.4 and 3.6 to the nearest gave 2..4)
    [InlineData(1f, "2,4")]   // an error of exactly the half-width is inside
    [InlineData(1.5f, "2,4")]
    [InlineData(3f, "1,5")]   // clipped to the observed range
    public void AWholeNumberColumnsBoundsAreTheWholeNumbersWithinTheHalfWidth(float width, string bounds)
    {
        var lines = Intervals(width);
        Assert.Equal("n_lower,n_upper,x_lower,x_upper", lines[0]);
        Assert.Equal("1,1,0.5,0.5", lines[1]); // observed: zero width
        Assert.Equal(bounds + ",1.5,1.5", lines[2]);
        Assert.Equal("5,5,1.5,2.5", lines[3]); // a real column keeps its bounds as they are
    }

    [Fact]
    public void AnObservedCellIsWrittenAsTheFileHasIt()
    {
        // 100000031 is 100000032 as a 32-bit float; the interval file keeps the file's own digits.
        var encoding = TableEncoding.For(TabularCsv.Parse("id,x\n100000031,\" 1.50\"\n,2.5\n100000001,3.5\n", "t.csv"));
        float[] completed = [100000031, 1.5f, 100000016, 2.5f, 100000001, 3.5f]; // (rows 3, cols 2)
        var text = new StringWriter();
        ImputationIntervals.Write(text, encoding, encoding.Numbers(completed), new MethodScore("mean", 0.5, null, [0, 0]));
        Assert.Equal(["id_lower,id_upper,x_lower,x_upper", "100000031,100000031,1.50,1.50"], text.ToString().Split('\n')[..2]);
    }

    [Fact]
    public void AWholeNumberColumnsBoundsAreWrittenInWholeDigitsAsTheTableWritesIt()
    {
        var encoding = TableEncoding.For(TabularCsv.Parse("id,x\n1000000000000000000,1\n,2\n3000000000000000000,3\n", "t.csv"));
        float[] completed = [1e18f, 1, 2e18f, 2, 3e18f, 3]; // (rows 3, cols 2)
        var numbers = encoding.Numbers(completed);
        var text = new StringWriter();
        ImputationIntervals.Write(text, encoding, numbers, new MethodScore("mean", 0.5, null, [0, 0]));
        var bounds = text.ToString().Split('\n')[2].Split(',');
        string imputed = TableEncoding.Format(numbers[2], ColumnKind.Integer);
        Assert.Equal([imputed, imputed], bounds[..2]); // a zero half-width: both bounds are the imputed number, digit for digit
        Assert.DoesNotContain("E", imputed);
    }

    [Theory]
    [InlineData(2e18f, "1999999968613498880")]
    [InlineData(1e20f, "100000002004087734272")]   // past a long's range: the float's exact value, not long.MaxValue
    [InlineData(-1e20f, "-100000002004087734272")]
    public void AWholeNumberIsWrittenInDigitsAtAnySize(float value, string written) =>
        Assert.Equal(written, TableEncoding.Format(value, ColumnKind.Integer));
}

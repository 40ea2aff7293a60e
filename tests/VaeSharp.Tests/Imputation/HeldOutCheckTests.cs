using System.Globalization;
using System.Text;
using VaeSharp.Data;
using VaeSharp.Imputation;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Imputation;

/// <summary>The held-out check: draws pooled, and cells hidden where the table's own missingness puts them.</summary>
public class HeldOutCheckTests
{
    /// <summary>a complete and uniform on [0, 1); b = 2a + noise, missing with chance 0.6 where a &gt; 0.5 and 0.1 elsewhere (MAR); c noise, missing at random.</summary>
    private static TableEncoding MarTable(int rows) => TableEncoding.For(TabularCsv.Parse(MarCsv(rows), "mar.csv"));

    /// <summary>The CSV text of <see cref="MarTable"/>.</summary>
    public static string MarCsv(int rows)
    {
        var rng = new Rng(9);
        var text = new StringBuilder("a,b,c\n");
        for (int row = 0; row < rows; row++)
        {
            double a = rng.NextDouble(), b = 2 * a + 0.1 * rng.NextDouble(), c = rng.NextDouble();
            bool hideB = rng.NextDouble() < (a > 0.5 ? 0.6 : 0.1), hideC = rng.NextDouble() < 0.3;
            text.Append(CultureInfo.InvariantCulture, $"{a:F4},{(hideB ? "" : b.ToString("F4", CultureInfo.InvariantCulture))},{(hideC ? "" : c.ToString("F4", CultureInfo.InvariantCulture))}\n");
        }
        return text.ToString();
    }

    /// <summary>The share of b's held-out cells whose row has a &gt; 0.5.</summary>
    private static double HighShare(HeldOutCheck check)
    {
        var data = check.Encoding.Data;
        int high = 0, all = 0;
        foreach (var draw in check.Draws)
            for (int row = 0; row < data.Rows; row++)
            {
                int i = row * data.Cols + 1;
                if (data.Mask[i] == 0 || draw.Data.Mask[i] != 0) continue;
                all++;
                if (data.Values[row * data.Cols] > 0.5f) high++;
            }
        return (double)high / all;
    }

    [Fact]
    public void OddsOfMissingGrowWhereTheCompleteColumnMakesCellsGoMissing()
    {
        var data = MarTable(2000).Data;
        var model = MissingnessOdds.For(data, 3, data.ObservedScales())!;
        Assert.Equal([0], model.Predictors); // b and c miss far more than 5%
        var odds = model.Odds(1)!;
        double low = Enumerable.Range(0, data.Rows).Where(row => data.Values[row * 3] < 0.3f).Average(row => odds[row]);
        double high = Enumerable.Range(0, data.Rows).Where(row => data.Values[row * 3] > 0.7f).Average(row => odds[row]);
        Assert.True(high > 4 * low, $"odds {low:F3} at small a, {high:F3} at large a");
        Assert.Null(model.Odds(0)); // a is a predictor, never missing
        Assert.Null(MissingnessOdds.For(data, 0, data.ObservedScales())); // no numeric column to predict from
    }

    [Fact]
    public void AConstantCompleteColumnIsNeverAPredictorOfTheOdds()
    {
        // Column 0 is complete but constant, column 1 complete and varying, column 2 half missing.
        var values = new float[300 * 3];
        var mask = new byte[values.Length];
        for (int row = 0; row < 300; row++)
        {
            (values[row * 3], values[row * 3 + 1], values[row * 3 + 2]) = (5, row, row);
            (mask[row * 3], mask[row * 3 + 1], mask[row * 3 + 2]) = (1, 1, (byte)(row % 2));
        }
        var data = new MissingData(values, mask, 300, 3);
        Assert.Equal([1], MissingnessOdds.For(data, 3, data.ObservedScales())!.Predictors);
    }

    [Fact]
    public void FollowingMissingnessHidesCellsWhereTheTableMissesThem()
    {
        var encoding = MarTable(2000);
        // Among b's observed rows about 29% have a > 0.5 (0.5·0.4 against 0.5·0.9); its missing cells are 86% there.
        double uniform = HighShare(new HeldOutCheck(encoding, 0.2, new Rng(1)));
        double following = HighShare(new HeldOutCheck(encoding, 0.2, new Rng(1), followMissingness: true));
        Assert.InRange(uniform, 0.22, 0.36);
        Assert.True(following > 0.6, $"{following:F3} of b's held-out cells at a > 0.5 (uniform: {uniform:F3})");
    }

    [Fact]
    public void FollowingMissingnessWeighsEachColumnByItsMissingCellsPerObservedOne()
    {
        var encoding = MarTable(2000);
        var data = encoding.Data;
        var following = new HeldOutCheck(encoding, 0.2, new Rng(2), draws: 2, followMissingness: true);
        var uniform = new HeldOutCheck(encoding, 0.2, new Rng(2), draws: 2);
        // The truth everywhere but in a, which is never missing and so never imputed: it counts for nothing.
        float[] WrongInA(TableEncoding draw)
        {
            var completed = (float[])data.Values.Clone();
            for (int row = 0; row < data.Rows; row++) completed[row * 3] += 100;
            return completed;
        }
        Assert.Equal(0, following.Score("a wrong", [.. following.Draws.Select(WrongInA)]).Rmse!.Value, 12);
        Assert.All(following.Errors([.. following.Draws.Select(WrongInA)]), error => Assert.Equal(0, error));
        Assert.True(uniform.Score("a wrong", [.. uniform.Draws.Select(WrongInA)]).Rmse > 1);
        // One standard deviation off on b's held-out cells only.
        var scales = data.ObservedScales();
        float[] OffInB(TableEncoding draw)
        {
            var completed = (float[])data.Values.Clone();
            for (int row = 0; row < data.Rows; row++)
                if (draw.Data.Mask[row * 3 + 1] == 0) completed[row * 3 + 1] += (float)scales[1];
            return completed;
        }
        double Ratio(int col)
        {
            int missing = Enumerable.Range(0, data.Rows).Count(row => data.Mask[row * 3 + col] == 0);
            return (double)missing / (data.Rows - missing);
        }
        int Held(int col) => following.Draws.Sum(draw => Enumerable.Range(0, data.Rows).Count(row => data.Mask[row * 3 + col] != 0 && draw.Data.Mask[row * 3 + col] == 0));
        // The errors before clipping: each held-out b cell at the square root of b's weight, the rest 0.
        var errors = following.Errors([.. following.Draws.Select(OffInB)]);
        Assert.Equal(Held(1), errors.Count(error => error != 0));
        Assert.Equal(Ratio(1) * Held(1), errors.Sum(error => error * error), 1e-3 * Held(1)); // float sums
    }

    [Fact]
    public void WithNoWeighedCellHeldOutEveryColumnWeighsAlike()
    {
        // a and b complete; c observed in one row only, which the check always gives back: nothing of c is held out.
        var text = "a,b,c\n" + string.Concat(Enumerable.Range(0, 60).Select(row => $"{row},{row % 7},{(row == 0 ? "5" : "")}\n"));
        var encoding = TableEncoding.For(TabularCsv.Parse(text, "one.csv"));
        var check = new HeldOutCheck(encoding, 0.2, new Rng(3), followMissingness: true);

        var means = check.Draws.Select(draw => new MeanImputer().Fit(draw.Data).Transform(draw.Data)).ToArray();
        Assert.True(check.HiddenNumeric > 0);
        Assert.InRange(check.Score("mean", means).Rmse!.Value, 0.5, 2); // a and b's cells, weighing 1, not a score of nothing
    }

    [Fact]
    public void DrawsAreIndependentAndPooled()
    {
        var encoding = MarTable(500);
        var one = new HeldOutCheck(encoding, 0.1, new Rng(4));
        var three = new HeldOutCheck(encoding, 0.1, new Rng(4), draws: 3);
        Assert.Single(one.Draws);
        Assert.Equal(3, three.Draws.Count);
        Assert.Equal(one.Draws[0].Data.Mask, three.Draws[0].Data.Mask); // the first draw is the one-draw check
        Assert.NotEqual(three.Draws[0].Data.Mask, three.Draws[1].Data.Mask);
        Assert.InRange(three.HiddenNumeric, 2.5 * one.HiddenNumeric, 3.5 * one.HiddenNumeric);
        // The truth scores 0 on every draw; the column means score about 1 column standard deviation.
        var truth = three.Draws.Select(draw => (float[])encoding.Data.Values.Clone()).ToArray();
        Assert.Equal(0, three.Score("truth", truth).Rmse!.Value, 12);
        var means = three.Draws.Select(draw => new MeanImputer().Fit(draw.Data).Transform(draw.Data)).ToArray();
        Assert.InRange(three.Score("mean", means).Rmse!.Value, 0.8, 1.3);
        Assert.Equal(three.HiddenNumeric, three.Errors(means).Length);
    }
}

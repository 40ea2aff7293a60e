using System.Globalization;
using System.Text;
using VaeSharp.Data;
using VaeSharp.Imputation;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Imputation;

public class VaeImputerTests
{
    /// <summary>A rank-2 table of 300 rows × 8 columns plus small noise, with 30% of the cells hidden at random.</summary>
    internal static (MissingData Data, float[] Truth) LowRank(ulong seed, double missing = 0.3)
    {
        var rng = new Rng(seed);
        int rows = 300, cols = 8;
        var loadings = new float[2 * cols];
        rng.FillGaussian(loadings);
        var truth = new float[rows * cols];
        var mask = new byte[truth.Length];
        for (int r = 0; r < rows; r++)
        {
            var factors = new float[2];
            rng.FillGaussian(factors);
            for (int c = 0; c < cols; c++)
            {
                truth[r * cols + c] = factors[0] * loadings[c] + factors[1] * loadings[cols + c] + 0.05f * (float)(rng.NextDouble() - 0.5) + 10 * c;
                mask[r * cols + c] = rng.NextDouble() < missing ? (byte)0 : (byte)1;
            }
        }
        return (new MissingData(truth, mask, rows, cols), truth);
    }

    [Fact]
    public void BeatsTheMeanOnALowRankTableWith30PercentMissing()
    {
        var (data, truth) = LowRank(3);
        var vae = new VaeImputer(new VaeImputerOptions { Epochs = 150, Seed = 1 }).Fit(data).Transform(data);
        var mean = new MeanImputer().Fit(data).Transform(data);
        double vaeRmse = ImputationScores.Compute(truth, vae, data.Mask).Rmse, meanRmse = ImputationScores.Compute(truth, mean, data.Mask).Rmse;
        Assert.True(vaeRmse < 0.7 * meanRmse, $"vae {vaeRmse}, mean {meanRmse}");
        for (int i = 0; i < truth.Length; i++) if (data.Mask[i] != 0) Assert.Equal(truth[i], vae[i]);
    }

    [Fact]
    public void FitTransformOnATableFillsOnlyMissingCellsAndDrawsHaveSpread()
    {
        var (data, _) = LowRank(4);
        var csv = new StringBuilder("a,b,c,d,e,f,g,h\n");
        for (int r = 0; r < data.Rows; r++)
            csv.AppendJoin(',', Enumerable.Range(0, 8).Select(c => data.IsObserved(r, c) ? data.Values[r * 8 + c].ToString(CultureInfo.InvariantCulture) : "")).Append('\n');
        var table = TabularCsv.Parse(csv.ToString(), "low-rank.csv");
        var encoding = TableEncoding.For(table);
        var imputer = new VaeImputer(new VaeImputerOptions { Epochs = 20, Samples = 4, Iterations = 1 });
        imputer.Fit(encoding.Data);
        var completed = TabularCsv.Parse(encoding.Write(imputer.Transform(encoding.Data)), "out.csv");
        Assert.All(completed.Mask, bit => Assert.Equal(1, bit));
        for (int i = 0; i < table.Values.Length; i++) if (table.Mask[i] != 0) Assert.Equal(table.Values[i], completed.Values[i]);
        var uncertainty = imputer.TransformWithUncertainty(encoding.Data);
        Assert.Equal(4, uncertainty.Draws.Count);
        Assert.Contains(uncertainty.StandardDeviation, s => s > 0);
        for (int i = 0; i < table.Mask.Length; i++) if (table.Mask[i] != 0) Assert.Equal(0f, uncertainty.StandardDeviation[i]);
    }

    [Fact]
    public void DrawsSummedAsTheyComeGiveTheKeptDrawsMeanAndSpread()
    {
        var (data, _) = LowRank(4);
        var imputer = new VaeImputer(new VaeImputerOptions { Epochs = 5, Samples = 6 });
        imputer.Fit(data);

        var kept = imputer.TransformWithUncertainty(data);
        var summed = imputer.TransformWithUncertainty(data, keepDraws: false);

        Assert.Equal(6, kept.Draws.Count);
        Assert.Empty(summed.Draws);
        Assert.Equal(kept.Mean, summed.Mean);
        Assert.Equal(kept.StandardDeviation, summed.StandardDeviation);
        for (int i = 0; i < data.Values.Length; i++)
        {
            var values = kept.Draws.Select(draw => (double)draw[i]).ToArray();
            double mean = values.Average(), spread = Math.Sqrt(values.Average(value => (value - mean) * (value - mean)));
            Assert.Equal(mean, kept.Mean[i], 3e-5 * (1 + Math.Abs(mean)));
            Assert.Equal(spread, kept.StandardDeviation[i], 3e-5 * (1 + Math.Abs(mean)));
        }
    }
}

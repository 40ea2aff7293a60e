using System.Globalization;
using System.Text;
using VaeSharp.Data;
using VaeSharp.Imputation;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Imputation;

/// <summary>auto's stack: the convex least-squares weights, the blend they impute with, and the cross-fitted choice.</summary>
public class MethodSelectionTests
{
    private static double Loss(IReadOnlyList<double[]> errors, double[] weights) =>
        Enumerable.Range(0, errors[0].Length).Sum(cell => Math.Pow(weights.Select((w, m) => w * errors[m][cell]).Sum(), 2));

    [Fact]
    public void AMethodWhoseHeldOutErrorIsNaNNeverWins()
    {
        // MinBy orders NaN first, so a diverged method would be chosen if its loss stayed NaN.
        var scores = new[] { new MethodScore("vae", double.NaN, null, []), new MethodScore("mean", 1.0, null, []), new MethodScore("knn", 0.8, null, []) };
        Assert.Equal(double.PositiveInfinity, scores[0].Loss);
        Assert.Equal("knn", scores.MinBy(score => score.Loss)!.Method);
        Assert.Equal(0.25, new MethodScore("mean", null, 0.75, []).Loss);
    }

    [Fact]
    public void SimplexWeightsOfIndependentErrorsAreInverseToTheirVariances()
    {
        // Gram diag(4, 1): w ∝ (1/4, 1), so (0.2, 0.8).
        var weights = SimplexLeastSquares.Weights([[2.0, 0.0], [0.0, 1.0]]);
        Assert.Equal(0.2, weights[0], 12);
        Assert.Equal(0.8, weights[1], 12);
    }

    [Fact]
    public void SimplexWeightsNeverGoNegative()
    {
        // Unconstrained, 3·e0 − 2·e1 = (−1, 0) would beat e0 alone (loss 2); on the simplex e0 alone is best.
        var weights = SimplexLeastSquares.Weights([[1.0, 1.0], [2.0, 1.5]]);
        Assert.Equal([1.0, 0.0], weights);
    }

    [Fact]
    public void SimplexWeightsBeatEveryPointOfAGridOnTheSimplex()
    {
        var rng = new Rng(3);
        var shared = Enumerable.Range(0, 50).Select(_ => rng.NextDouble() - 0.5).ToArray();
        double[][] errors = [.. Enumerable.Range(0, 3).Select(m => shared.Select(s => (m + 1) * 0.3 * s + rng.NextDouble() - 0.5 + 0.1 * m).ToArray())];
        var weights = SimplexLeastSquares.Weights(errors);
        Assert.Equal(1.0, weights.Sum(), 12);
        Assert.All(weights, w => Assert.True(w >= 0));
        double best = Loss(errors, weights);
        for (int a = 0; a <= 100; a++)
            for (int b = 0; a + b <= 100; b++)
                Assert.True(best <= Loss(errors, [a / 100.0, b / 100.0, (100 - a - b) / 100.0]) + 1e-12, $"grid ({a}, {b}) beats {best}");
    }

    [Fact]
    public void SmallWeightsAreDroppedAndTheRestWeighedAgain()
    {
        // Gram diag(1, 1, 100): weights ∝ (1, 1, 0.01), so the third gets 0.005; without it, (0.5, 0.5).
        double[][] errors = [[1.0, 0, 0], [0, 1.0, 0], [0, 0, 10.0]];
        Assert.InRange(SimplexLeastSquares.Weights(errors)[2], 0.004, 0.006);
        Assert.Equal([0.5, 0.5, 0.0], SimplexLeastSquares.Weights(errors, minWeight: 0.05));
        Assert.Equal(SimplexLeastSquares.Weights(errors), SimplexLeastSquares.Weights(errors, minWeight: 0.001));
    }

    [Fact]
    public void AnEvenBlendHasTheBitsOfTheAverage()
    {
        float[] a = [1.1f, -3.7f, 1e-3f, 12345.678f], b = [0.3f, 2.9f, 7.77f, -0.001f];
        var blend = BlendImputer.Blend([a, b], [0.5, 0.5]);
        Assert.Equal(a.Zip(b, (x, y) => 0.5f * (x + y)), blend);
        Assert.Throws<ArgumentException>(() => new BlendImputer([(new MeanImputer(), 0.7), (new MeanImputer(), 0.7)]));
        Assert.Throws<ArgumentException>(() => new BlendImputer([(new MeanImputer(), 1.0)]));
    }

    [Fact]
    public void ABlendKeepsEveryObservedValueExactly()
    {
        // 13.2 · 0.9 + 13.2 · 0.1 is not 13.2 in floats; the blend must still hand observed entries back unchanged.
        var data = new MissingData([13.2f, 0f, 7.7f, 1f], [1, 0, 1, 1], 2, 2);
        Assert.NotEqual(13.2f, 0f + 0.9f * 13.2f + 0.1f * 13.2f);
        var blend = new BlendImputer([(new MeanImputer(), 0.9), (new NoisyOracle("noisy", 3, 1), 0.1)]).Fit(data);
        var completed = blend.Transform(data);
        Assert.Equal([13.2f, 7.7f, 1f], new[] { completed[0], completed[2], completed[3] });
        Assert.NotEqual(0f, completed[1]);
    }

    /// <summary>Fills every hidden entry with the truth (kept in the values) plus its own seeded noise: a method whose errors are known.</summary>
    private sealed class NoisyOracle(string name, ulong seed, double noise) : IImputer
    {
        public string Name => name;

        public IImputer Fit(MissingData reference) => this;

        public float[] Transform(MissingData data)
        {
            var draws = new float[data.Values.Length];
            new Rng(seed).FillGaussian(draws);
            var result = (float[])data.Values.Clone();
            for (int i = 0; i < result.Length; i++)
                if (data.Mask[i] == 0) result[i] += (float)noise * draws[i];
            return result;
        }
    }

    /// <summary>
    /// The truth plus <paramref name="noise"/> on hidden numeric entries; on hidden categorical blocks the true level
    /// when <paramref name="rightLevels"/>, else the next one: a method good at one kind of column and not the other.
    /// </summary>
    private sealed class KindOracle(string name, double noise, bool rightLevels, IReadOnlyList<(int Start, int Count)> blocks) : IImputer
    {
        public string Name => name;

        public IImputer Fit(MissingData reference) => this;

        public float[] Transform(MissingData data)
        {
            var result = new NoisyOracle(name, 7, noise).Transform(data);
            for (int row = 0; row < data.Rows; row++)
                foreach (var (start, count) in blocks)
                {
                    var block = result.AsSpan(row * data.Cols + start, count);
                    if (data.Mask[row * data.Cols + start] != 0) continue;
                    block.Fill(0); // the noise above touched the levels too
                    int level = Enumerable.Range(0, count).First(k => data.Values[row * data.Cols + start + k] == 1f);
                    block[rightLevels ? level : (level + 1) % count] = 1;
                }
            return result;
        }
    }

    /// <summary>Numbers x, y and a category c of three levels, 300 rows, 30% of each column hidden by the check.</summary>
    private static HeldOutCheck MixedCheck()
    {
        var rng = new Rng(12);
        var text = new StringBuilder("x,c,y\n");
        for (int row = 0; row < 300; row++)
            text.Append(CultureInfo.InvariantCulture, $"{4 * rng.NextDouble():F4},{"pqr"[row % 3]},{4 * rng.NextDouble():F4}\n");
        return new HeldOutCheck(TableEncoding.For(TabularCsv.Parse(text.ToString(), "mixed.csv")), 0.3, new Rng(3));
    }

    [Fact]
    public void TheCategoriesGoToTheMostAccurateCandidateWhenItBeatsTheNumbersChoice()
    {
        var check = MixedCheck();
        var blocks = check.Encoding.Blocks;
        IImputer Create(string name) => new KindOracle(name, name == "numbers" ? 0.1 : 1, name == "categories", blocks);

        var choice = MethodSelection.Choose(check, ["numbers", "categories"], Create);

        Assert.Equal(("numbers", "categories"), (choice.Best, choice.CategoryBest));
        Assert.Equal([("categories", 1.0)], choice.CategoryBlend);
        var imputer = Assert.IsType<BlendImputer>(MethodSelection.Create(choice, Create, blocks));
        Assert.Equal("numbers, categories categories", imputer.Name);
        var data = check.Draws[0].Data;
        var (split, numbers, categories) = (imputer.Fit(data).Transform(data), Create("numbers").Transform(data), Create("categories").Transform(data));
        var (start, count) = Assert.Single(blocks);
        for (int i = 0; i < split.Length; i++)
            Assert.Equal(i % data.Cols >= start && i % data.Cols < start + count ? categories[i] : numbers[i], split[i]);
        Assert.Throws<ArgumentNullException>(() => MethodSelection.Create(choice, Create));

        // As accurate on the categories as the numbers' choice: one method imputes everything.
        var even = MethodSelection.Choose(check, ["numbers", "also"], name => new KindOracle(name, name == "numbers" ? 0.1 : 1, false, blocks));
        Assert.Equal(("numbers", null), (even.Best, even.CategoryBest));
        Assert.IsType<KindOracle>(MethodSelection.Create(even, name => new KindOracle(name, 0, false, blocks)));
    }

    [Fact]
    public void ASplitChoiceCreatesEachMethodOnceAndWeighsEachKindAsItsChoice()
    {
        // Numbers: a+b; categories: a. "a" is created once and weighs ½ on the numbers, all of the block.
        var data = new MissingData([1f, 0f, 1f, 9f, 0f, 0f], [1, 0, 0, 1, 0, 0], 2, 3);
        var choice = new MethodChoice([], "a+b", [("a", 0.5), ("b", 0.5)], "a", [("a", 1.0)]);
        var (created, fits) = (new List<string>(), new List<string>());
        IImputer Create(string name)
        {
            created.Add(name);
            return new CountingImputer(fits, name, name == "a" ? 2f : 4f);
        }

        var blend = MethodSelection.Create(choice, Create, [(1, 2)]);

        Assert.Equal(["a", "b"], created);
        Assert.Equal([1f, 2f, 2f, 9f, 2f, 2f], blend.Fit(data).Transform(data)); // the block all "a", the observed 1 and 9 kept
        Assert.Equal(["a", "b"], fits);
        var numbersOnly = new MissingData([0f, 0f, 1f], [0, 1, 1], 1, 3);
        Assert.Equal(3f, blend.Transform(numbersOnly)[0]); // ½·2 + ½·4 on the numeric column
        Assert.Throws<ArgumentException>(() => new BlendImputer([(new MeanImputer(), 0.5, 1.0), (new MeanImputer(), 0.5, 0.5)], [(1, 2)]));
        Assert.Throws<ArgumentException>(() => new BlendImputer([(new MeanImputer(), 1.0, 1.0), (new MeanImputer(), 0.0, 0.0)], [(1, 2)]));
    }

    /// <summary>Counts its fits in <paramref name="fits"/>; fills every missing entry with <paramref name="fill"/>.</summary>
    private sealed class CountingImputer(List<string> fits, string name, float fill = 0) : IImputer
    {
        public string Name => name;

        public IImputer Fit(MissingData reference)
        {
            fits.Add(name);
            return this;
        }

        public float[] Transform(MissingData data) => data.Filled(fill);
    }

    [Fact]
    public void TheCheckReportsEachFitOfEachDrawBeforeItRuns()
    {
        var fits = new List<string>();
        var check = new HeldOutCheck(Check().Encoding, 0.1, new Rng(5), draws: 3);
        var (reports, fitsAtReport) = (new List<CheckProgress>(), new List<int>());
        var progress = new InlineProgress<CheckProgress>(step =>
        {
            reports.Add(step);
            fitsAtReport.Add(fits.Count);
        });

        MethodSelection.Choose(check, ["a", "b", "a+b", MethodSelection.Stack], name => new CountingImputer(fits, name), progress: progress);

        Assert.Equal([("a", 1), ("a", 2), ("a", 3), ("b", 1), ("b", 2), ("b", 3)], reports.Select(step => (step.Method, step.Draw)));
        Assert.Equal([0, 1, 2, 3, 4, 5], reports.Select(step => step.Done));
        Assert.All(reports, step => Assert.Equal((3, 6), (step.Draws, step.Total)));
        Assert.Equal([0, 1, 2, 3, 4, 5], fitsAtReport); // each report comes before its fit, and the pair and the stack fit nothing
        Assert.Equal(6, fits.Count);
    }

    private static HeldOutCheck Check()
    {
        var rng = new Rng(11);
        var text = new StringBuilder("x,y,z\n");
        for (int row = 0; row < 400; row++)
            text.AppendJoin(',', Enumerable.Range(0, 3).Select(_ => (4 * rng.NextDouble()).ToString("F4", CultureInfo.InvariantCulture))).Append('\n');
        return new HeldOutCheck(TableEncoding.For(TabularCsv.Parse(text.ToString(), "t.csv")), 0.3, new Rng(2));
    }

    [Fact]
    public void AutoStacksTwoMethodsWithIndependentErrorsAndWeighsThemEvenly()
    {
        var choice = MethodSelection.Choose(Check(), ["a", "b", MethodSelection.Stack], name => new NoisyOracle(name, name == "a" ? 1UL : 2UL, 0.5));

        Assert.Equal(MethodSelection.Stack, choice.Best);
        var rmse = choice.Scores.ToDictionary(score => score.Method, score => score.Rmse!.Value);
        // Independent errors of equal size: the even blend has 1/√2 of the error; cross-fitted weights come close.
        Assert.True(rmse[MethodSelection.Stack] < 0.8 * Math.Min(rmse["a"], rmse["b"]), $"stack {rmse[MethodSelection.Stack]:F4}, a {rmse["a"]:F4}, b {rmse["b"]:F4}");
        Assert.Equal(["a", "b"], choice.Blend.Select(part => part.Method));
        Assert.All(choice.Blend, part => Assert.InRange(part.Weight, 0.4, 0.6));
        Assert.IsType<BlendImputer>(MethodSelection.Create(choice, name => new NoisyOracle(name, 0, 0)));
    }

    [Fact]
    public void AutoKeepsASingleMethodWhenTheOtherOnlyMakesItsErrorsLarger()
    {
        // The same draws, 20 times larger: any weight on "poor" adds error, so the stack is "good" alone and ties it.
        var choice = MethodSelection.Choose(Check(), ["good", "poor", MethodSelection.Stack], name => new NoisyOracle(name, 1, name == "good" ? 0.1 : 2));

        Assert.Equal("good", choice.Best);
        Assert.Equal([("good", 1.0)], choice.Blend);
        Assert.IsType<NoisyOracle>(MethodSelection.Create(choice, name => new NoisyOracle(name, 0, 0)));
    }
}

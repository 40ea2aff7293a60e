namespace VaeSharp.Imputation;

/// <summary>
/// <c>--method auto</c>: scores every candidate on the same <see cref="HeldOutCheck"/> and picks the one with the
/// lowest <see cref="MethodScore.Loss"/>; on a table of numbers and categories, the categories go to the candidate with
/// the best held-out accuracy where that beats the numbers' choice (two scores in two units, each kept whole). A
/// candidate "a+b" is the average of a and b; <see cref="Stack"/> is the convex blend of the single methods with the
/// least squared held-out error (stacked regression, Breiman 1996; see <see cref="SimplexLeastSquares"/>). Both are
/// made from the singles' held-out completions, so they cost no extra fit.
/// </summary>
/// <remarks>
/// The stack's weights are fitted on the very cells it is scored on, which would flatter it; so its score is
/// cross-fitted: the weights fitted on the held-out cells of even rows fill the odd rows, and the other way round. The
/// weights it imputes with are then fitted on all the held-out cells.
/// </remarks>
public static class MethodSelection
{
    /// <summary>The name of the fitted blend of every single candidate.</summary>
    public const string Stack = "stack";

    /// <summary>
    /// The least weight a method keeps in the stack; a smaller one is dropped and the rest weighed again: it would
    /// barely move the imputation, yet cost a whole fit and transform (a k-NN pass over a million rows, say).
    /// </summary>
    public const double MinWeight = 0.05;

    /// <summary>The methods auto weighs: the single families, pairwise averages, then the stack of the singles.</summary>
    public static readonly IReadOnlyList<string> Candidates =
        ["mean", "knn", "iterative", "vae", "forest", "knn+iterative", "knn+vae", "iterative+vae", "forest+knn", "forest+iterative", "forest+vae", Stack];

    /// <summary>
    /// Tables of more rows than this leave <c>forest</c> out of auto: its fit is fine on a 20,000-row sample, but every
    /// round's trees replay on every row to impute, rounds × columns × trees walks per missing cell, minutes for millions of rows.
    /// </summary>
    public const int ForestRows = 20_000;

    /// <summary>The <see cref="Candidates"/> for a table of <paramref name="rows"/> rows: without forest above <see cref="ForestRows"/>.</summary>
    public static IReadOnlyList<string> CandidatesFor(int rows) =>
        rows > ForestRows ? [.. Candidates.Where(method => !method.Split('+').Contains("forest"))] : Candidates;

    /// <summary>Scores each of <paramref name="candidates"/> on <paramref name="check"/>; <paramref name="create"/> makes a single method's imputer.</summary>
    /// <param name="check">The held-out cells.</param>
    /// <param name="candidates">Single methods, pairs "a+b" of them, and <see cref="Stack"/>.</param>
    /// <param name="create">Makes a fresh imputer for a single method.</param>
    /// <param name="clip">Whether scores clip imputations to the observed range, as the written table does.</param>
    /// <param name="progress">Told before each fit: every single method once per draw, the only fits there are.</param>
    /// <returns>The scores in candidate order and the best candidate (the first of equals), with the single methods it blends.</returns>
    public static MethodChoice Choose(HeldOutCheck check, IReadOnlyList<string> candidates, Func<string, IImputer> create, bool clip = true,
        IProgress<CheckProgress>? progress = null)
    {
        var singles = candidates.Where(method => method != Stack && !method.Contains('+')).ToList();
        int fits = 0, allFits = singles.Count * check.Draws.Count;
        float[] Fit(string method, int draw)
        {
            progress?.Report(new CheckProgress(method, draw + 1, check.Draws.Count, fits++, allFits));
            return create(method).Fit(check.Draws[draw].Data).Transform(check.Draws[draw].Data);
        }
        var completions = new Dictionary<string, float[][]>(); // per candidate, its completion of each draw
        float[][] Completion(string method)
        {
            if (completions.TryGetValue(method, out var done)) return done;
            var result = method == Stack ? CrossFittedStack(check, [.. singles.Select(Completion)], SingleErrors())
                : method.Split('+') is [var first, var second] ? Blend([Completion(first), Completion(second)], [0.5, 0.5])
                : [.. Enumerable.Range(0, check.Draws.Count).Select(draw => Fit(method, draw))];
            return completions[method] = result;
        }
        // The singles' held-out errors, found once for the stack's three fits (even rows, odd rows, all rows).
        StackErrors? singleErrors = null;
        StackErrors SingleErrors() => singleErrors ??= new([.. singles.Select(method => check.Errors(Completion(method)))], [.. check.ErrorRows]);
        var scores = candidates.Select(method => check.Score(method, Completion(method), clip)).ToList();
        var best = scores.MinBy(score => score.Loss)!;
        // The first of the most accurate, if more accurate than the numbers' choice: it then imputes the categories alone.
        var categories = best is { Rmse: not null, Accuracy: double accuracy }
            && scores.Where(score => double.IsFinite(score.Loss)).MaxBy(score => score.Accuracy ?? -1) is { } top && top.Accuracy > accuracy
            ? top.Method : null; // a candidate whose numbers diverged is not trusted with the categories either
        IReadOnlyList<(string, double)> BlendOf(string method) => method == Stack
            ? [.. singles.Zip(StackWeights(SingleErrors(), _ => true)).Where(pair => pair.Second > 0)]
            : method.Split('+') is [var a, var b] ? [(a, 0.5), (b, 0.5)] : [(method, 1.0)];
        return new MethodChoice(scores, best.Method, BlendOf(best.Method), categories, categories is null ? null : BlendOf(categories));
    }

    /// <summary>Each single method's error on every held-out cell, and each cell's row.</summary>
    private sealed record StackErrors(double[][] Errors, int[] Rows);

    /// <summary>
    /// The imputer a choice stands for: a single method from <paramref name="create"/>, or the blend of several; with a
    /// choice of its own for the categories, one blend of every method either choice uses, each created once, weighing
    /// the categorical <paramref name="blocks"/> as the categories' choice does.
    /// </summary>
    public static IImputer Create(MethodChoice choice, Func<string, IImputer> create, IReadOnlyList<(int Start, int Count)>? blocks = null)
    {
        if (choice.CategoryBlend is not null) ArgumentNullException.ThrowIfNull(blocks);
        var categories = choice.CategoryBlend ?? choice.Blend;
        var methods = choice.Blend.Select(part => part.Method).Union(categories.Select(part => part.Method)).ToList();
        static double WeightIn(IReadOnlyList<(string Method, double Weight)> blend, string method) => blend.FirstOrDefault(part => part.Method == method).Weight;
        return methods is [var only] ? create(only)
            : new BlendImputer([.. methods.Select(method => (create(method), WeightIn(choice.Blend, method), WeightIn(categories, method)))], blocks ?? []);
    }

    /// <summary>Each draw's blend of the methods' completions (method, draw) with <paramref name="weights"/>.</summary>
    private static float[][] Blend(float[][][] completions, IReadOnlyList<double> weights) =>
        [.. Enumerable.Range(0, completions[0].Length).Select(draw => BlendImputer.Blend([.. completions.Select(method => method[draw])], weights))];

    /// <summary>The stack's held-out completions with each row filled by the weights fitted on the rows of the other parity.</summary>
    private static float[][] CrossFittedStack(HeldOutCheck check, float[][][] completions, StackErrors errors)
    {
        var fromOdd = Blend(completions, StackWeights(errors, row => row % 2 == 1));
        var fromEven = Blend(completions, StackWeights(errors, row => row % 2 == 0));
        int cols = check.Encoding.Data.Cols;
        for (int draw = 0; draw < fromOdd.Length; draw++)
            for (int i = 0; i < fromOdd[draw].Length; i++)
                if (i / cols % 2 == 1) fromOdd[draw][i] = fromEven[draw][i];
        return fromOdd;
    }

    /// <summary>The convex weights of the methods with the least squared error on the held-out cells of the rows <paramref name="use"/> takes.</summary>
    private static double[] StackWeights(StackErrors errors, Func<int, bool> use) =>
        SimplexLeastSquares.Weights([.. errors.Errors.Select(method => method.Where((_, cell) => use(errors.Rows[cell])).ToArray())], MinWeight);
}

/// <summary>Where <see cref="MethodSelection.Choose"/> is: about to fit <paramref name="Method"/> on draw <paramref name="Draw"/> of <paramref name="Draws"/>, with <paramref name="Done"/> of its <paramref name="Total"/> fits done.</summary>
public readonly record struct CheckProgress(string Method, int Draw, int Draws, int Done, int Total);

/// <summary>What <see cref="MethodSelection.Choose"/> found.</summary>
/// <param name="Scores">Every candidate's held-out score, in candidate order.</param>
/// <param name="Best">The candidate with the lowest loss.</param>
/// <param name="Blend">The single methods <paramref name="Best"/> stands for, with weights that sum to 1 (one method at weight 1 for a single).</param>
/// <param name="CategoryBest">The candidate that imputes the categories, where it is more accurate on them than <paramref name="Best"/>; else null.</param>
/// <param name="CategoryBlend">The single methods <paramref name="CategoryBest"/> stands for, as <paramref name="Blend"/>; null with it.</param>
public sealed record MethodChoice(IReadOnlyList<MethodScore> Scores, string Best, IReadOnlyList<(string Method, double Weight)> Blend,
    string? CategoryBest = null, IReadOnlyList<(string Method, double Weight)>? CategoryBlend = null);

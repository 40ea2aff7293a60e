using VaeSharp.Tensors;

namespace VaeSharp.Imputation;

/// <summary>
/// <c>--method auto</c>: scores every candidate on the same <see cref="HeldOutCheck"/> and picks the one with the
/// lowest <see cref="MethodScore.Loss"/>. A candidate "a+b" is the <see cref="AverageImputer"/> of a and b; its
/// held-out completion is the average of theirs, so it costs no extra fit.
/// </summary>
public static class MethodSelection
{
    /// <summary>The methods auto weighs: the single families, then pairwise averages.</summary>
    public static readonly IReadOnlyList<string> Candidates =
        ["mean", "knn", "iterative", "vae", "forest", "knn+iterative", "knn+vae", "iterative+vae", "forest+knn", "forest+iterative", "forest+vae"];

    /// <summary>
    /// Tables of more rows than this leave <c>forest</c> out of auto: its fit is fine on a 20,000-row sample, but every
    /// round's trees replay on every row to impute, rounds × columns × trees walks per missing cell, minutes for millions of rows.
    /// </summary>
    public const int ForestRows = 20_000;

    /// <summary>The <see cref="Candidates"/> for a table of <paramref name="rows"/> rows: without forest above <see cref="ForestRows"/>.</summary>
    public static IReadOnlyList<string> CandidatesFor(int rows) =>
        rows > ForestRows ? [.. Candidates.Where(method => !method.Split('+').Contains("forest"))] : Candidates;

    /// <summary>Scores each of <paramref name="candidates"/> on <paramref name="check"/>; <paramref name="create"/> makes a single method's imputer.</summary>
    /// <returns>The scores in candidate order, and the best candidate's name (the first of equals).</returns>
    public static (IReadOnlyList<MethodScore> Scores, string Best) Choose(HeldOutCheck check, IReadOnlyList<string> candidates, Func<string, IImputer> create, bool clip = true)
    {
        var completions = new Dictionary<string, float[]>();
        float[] Completion(string method)
        {
            if (completions.TryGetValue(method, out var done)) return done;
            var parts = method.Split('+');
            var result = parts.Length == 2
                ? AverageImputer.Average(Completion(parts[0]), Completion(parts[1]))
                : create(method).Fit(check.Hidden.Data).Transform(check.Hidden.Data);
            return completions[method] = result;
        }
        var scores = candidates.Select(method => check.Score(method, Completion(method), clip)).ToList();
        return (scores, scores.MinBy(score => score.Loss)!.Method);
    }

    /// <summary>The imputer a name stands for: a single method from <paramref name="create"/>, or the average of a pair.</summary>
    public static IImputer Create(string method, Func<string, IImputer> create) =>
        method.Split('+') is [var first, var second] ? new AverageImputer(create(first), create(second)) : create(method);
}

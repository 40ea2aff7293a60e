using VaeSharp.Data;
using VaeSharp.Evaluation;
using VaeSharp.Models;

namespace VaeSharp.Imputation;

/// <summary>One row of an imputation table: a mask, a fraction and a method, scored on the missing pixels.</summary>
/// <param name="Mask">pixel or line.</param>
/// <param name="Fraction">The missing fraction the masks were drawn with.</param>
/// <param name="Method">vae, mean, knn or iterative.</param>
/// <param name="Rmse">Root mean squared error on the missing entries.</param>
/// <param name="Mae">Mean absolute error on the missing entries.</param>
/// <param name="Seconds">Fit and transform time.</param>
/// <param name="Accuracy">A clean-trained classifier's accuracy on the imputed digits, when one was given.</param>
public sealed record ImputationResult(string Mask, double Fraction, string Method, double Rmse, double Mae, double Seconds, double? Accuracy = null);

/// <summary>
/// Scores a masked VAE against the mean, k-NN and iterative baselines on masked test images. The baselines learn
/// from a reference pool of masked training images (for a fair comparison, masked as the VAE's training was); all
/// methods complete the same masked test images.
/// </summary>
public static class ImputationBenchmark
{
    /// <summary>The methods a table compares, in its column order.</summary>
    public static IReadOnlyList<string> Methods { get; } = ["vae", "mean", "knn", "iterative"];

    /// <summary>Runs every method at one mask kind and fraction.</summary>
    /// <param name="model">A masked model for the images.</param>
    /// <param name="train">Training images; the first <paramref name="referenceCount"/> are the baselines' reference.</param>
    /// <param name="test">Test images; the first <paramref name="testCount"/> are imputed and scored.</param>
    /// <param name="kind">The mask kind.</param>
    /// <param name="fraction">The missing fraction.</param>
    /// <param name="referenceCount">Reference rows for the baselines.</param>
    /// <param name="testCount">Test rows scored.</param>
    /// <param name="seed">The masks' seed (<see cref="Masks.CreateSplits"/>).</param>
    /// <param name="classifier">Scores how recognisable each method's imputed digits are; null to skip.</param>
    /// <param name="methods">The methods to run, of <see cref="Methods"/>; null for all.</param>
    /// <param name="masks">The reference rows' and the scored rows' masks; null to draw both for <paramref name="kind"/> and <paramref name="fraction"/> from <paramref name="seed"/>.</param>
    /// <param name="progress">Told each method's name before it runs.</param>
    public static IReadOnlyList<ImputationResult> Run(VaeModel model, Dataset train, Dataset test, MaskKind kind, double fraction,
        int referenceCount, int testCount, ulong seed, DigitClassifier? classifier = null, IReadOnlyCollection<string>? methods = null,
        (byte[] Train, byte[] Test)? masks = null, IProgress<string>? progress = null)
    {
        var unknown = methods?.FirstOrDefault(method => !Methods.Contains(method));
        if (unknown is not null) throw new ArgumentException($"unknown imputation method '{unknown}'; expected {string.Join(", ", Methods)}");
        if (classifier is not null && test.Labels is null) throw new ArgumentException("classifier accuracy needs labelled test digits");
        var (trainMask, testMask) = masks ?? Masks.CreateSplits(kind, fraction, train.Count, test.Count, train.Rows, train.Cols, seed);
        var reference = ImageImputationData.FirstRows(train, trainMask, referenceCount);
        var target = ImageImputationData.FirstRows(test, testMask, testCount);
        var results = new List<ImputationResult>();
        string maskName = kind.ToString().ToLowerInvariant();
        void Score(string method, Func<float[]> impute)
        {
            progress?.Report(method);
            var started = System.Diagnostics.Stopwatch.StartNew();
            var imputed = impute();
            var scores = ImputationScores.Compute(target.Values, imputed, target.Mask);
            double seconds = started.Elapsed.TotalSeconds;
            double? accuracy = classifier?.Accuracy(imputed, test.Labels.AsSpan(0, target.Rows));
            results.Add(new ImputationResult(maskName, fraction, method, scores.Rmse, scores.Mae, seconds, accuracy));
        }
        bool Runs(string method) => methods is null || methods.Contains(method);
        if (Runs("vae")) Score("vae", () => VaeImputation.Impute(model, target));
        foreach (var baseline in new IImputer[] { new MeanImputer(), new KnnImputer(), new IterativeImputer(maxPredictors: 32) })
            if (Runs(baseline.Name)) Score(baseline.Name, () => baseline.Fit(reference).Transform(target));
        return results;
    }
}

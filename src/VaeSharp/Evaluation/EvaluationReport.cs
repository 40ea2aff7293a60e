using System.Text.Json.Serialization;
using VaeSharp.Data;
using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Evaluation;

/// <summary>A model's scores on a test set: the bound terms, the importance-weighted bound and latent k-NN accuracy.</summary>
public sealed record EvaluationReport
{
    /// <summary>−ELBO per example (β = 1), one z sample per example.</summary>
    [JsonPropertyName("test_neg_elbo")] public double TestNegElbo { get; init; }

    /// <summary>The reconstruction term of the −ELBO.</summary>
    [JsonPropertyName("test_reconstruction")] public double TestReconstruction { get; init; }

    /// <summary>The KL term of the −ELBO.</summary>
    [JsonPropertyName("test_kl")] public double TestKl { get; init; }

    /// <summary>The importance-weighted bound on −log p(x), nats per example.</summary>
    [JsonPropertyName("iw_nll")] public double IwNll { get; init; }

    /// <summary>K, the importance samples per example.</summary>
    [JsonPropertyName("iw_samples")] public int IwSamples { get; init; }

    /// <summary>Mean squared error per pixel between x and the decoded latent mean.</summary>
    [JsonPropertyName("reconstruction_mse")] public double ReconstructionMse { get; init; }

    /// <summary>Accuracy of a 5-NN classifier on latent means, fitted on train and scored on test.</summary>
    [JsonPropertyName("latent_knn_accuracy")] public double LatentKnnAccuracy { get; init; }

    /// <summary>Scores <paramref name="model"/> on <paramref name="test"/>; the k-NN classifier is fitted on <paramref name="train"/>.</summary>
    /// <param name="model">The VAE to score.</param>
    /// <param name="train">Labelled images for the k-NN fit.</param>
    /// <param name="test">Labelled images to score.</param>
    /// <param name="iwSamples">K of the importance-weighted bound.</param>
    /// <param name="rng">Draws every eps, in a fixed order.</param>
    /// <param name="progress">Told what is being scored and how many test images it has done, of how many.</param>
    public static EvaluationReport Evaluate(VaeModel model, Dataset train, Dataset test, int iwSamples, Rng rng, IProgress<EvaluationProgress>? progress = null)
    {
        if (train.Labels is null || test.Labels is null) throw new ArgumentException("latent k-NN accuracy needs labelled data");
        progress?.Report(new EvaluationProgress("test -ELBO", 0, test.Count));
        var elbo = ElboResult.Evaluate(model, test, 1000, rng);
        var testMeans = LatentMeans.Compute(model, test);
        string bound = $"IW bound, K={iwSamples}";
        progress?.Report(new EvaluationProgress(bound, 0, test.Count));
        double iwNll = ImportanceWeightedBound.Evaluate(model, test, iwSamples, rng,
            progress: progress is null ? null : new InlineProgress<int>(done => progress.Report(new EvaluationProgress(bound, done, test.Count))));
        progress?.Report(new EvaluationProgress("latent 5-NN", 0, 1)); // one step: encoding the training images and the vote
        return new EvaluationReport
        {
            TestNegElbo = elbo.NegativeElbo,
            TestReconstruction = elbo.Reconstruction,
            TestKl = elbo.Kl,
            IwNll = iwNll,
            IwSamples = iwSamples,
            ReconstructionMse = MeanSquaredReconstructionError(model, test, testMeans),
            LatentKnnAccuracy = LatentKnn.Accuracy(LatentMeans.Compute(model, train), train.Labels, testMeans, test.Labels, model.LatentSize),
        };
    }

    /// <summary>
    /// The accuracy of a 5-NN classifier on latent means fitted on <paramref name="train"/> and scored on
    /// <paramref name="test"/>: the one score an encoder alone can give.
    /// </summary>
    public static double ScoreLatentKnn(VaeModel model, Dataset train, Dataset test)
    {
        if (train.Labels is null || test.Labels is null) throw new ArgumentException("latent k-NN accuracy needs labelled data");
        return LatentKnn.Accuracy(LatentMeans.Compute(model, train), train.Labels, LatentMeans.Compute(model, test), test.Labels, model.LatentSize);
    }

    private static double MeanSquaredReconstructionError(VaeModel model, Dataset data, float[] means)
    {
        const int batchSize = 1000;
        var x = new float[batchSize * data.Features]; // x: (batch, features)
        double sum = 0;
        for (int start = 0; start < data.Count; start += batchSize)
        {
            int rows = Math.Min(batchSize, data.Count - start);
            data.CopyRange(start, rows, x.AsSpan(0, rows * data.Features));
            var z = new Tensor(new Shape(rows, model.LatentSize), means, start * model.LatentSize);
            var reconstruction = model.Decode(z).Span;
            for (int i = 0; i < reconstruction.Length; i++) sum += (double)(reconstruction[i] - x[i]) * (reconstruction[i] - x[i]);
        }
        return sum / ((double)data.Count * data.Features);
    }
}

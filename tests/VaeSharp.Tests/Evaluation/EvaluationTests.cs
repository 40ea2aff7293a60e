using VaeSharp.Evaluation;
using VaeSharp.Models;
using VaeSharp.Tensors;
using VaeSharp.Tests.Training;
using VaeSharp.Training;

namespace VaeSharp.Tests.Evaluation;

public class EvaluationTests
{
    [Fact]
    public void KnnVotesByTheNearestNeighbours()
    {
        // Train points on a line: labels 0 at x ≤ 2, 1 at x ≥ 10. Test points near each cluster, one in between nearer 0.
        float[] train = [0, 1, 2, 10, 11, 12];
        byte[] trainLabels = [0, 0, 0, 1, 1, 1];
        float[] test = [0.5f, 11.5f, 5f];
        Assert.Equal(1.0, LatentKnn.Accuracy(train, trainLabels, test, [0, 1, 0], dims: 1, k: 3));
        Assert.Equal(2.0 / 3, LatentKnn.Accuracy(train, trainLabels, test, [0, 1, 1], dims: 1, k: 3), 6);
    }

    [Fact]
    public void KnnTieGoesToTheNearerNeighbour()
    {
        // k = 2 with one neighbour of each label: the nearer one (label 1 at distance 1) wins.
        Assert.Equal(1.0, LatentKnn.Accuracy([0f, 3f], [1, 0], [1f], [1], dims: 1, k: 2));
    }

    [Fact]
    public void KnnWorksInSeveralDimensionsAcrossBlocks()
    {
        // 600 test rows span more than one GEMM block; each sits on top of a train point of its own label.
        var rng = new Rng(4);
        int count = 600, dims = 3;
        var points = new float[count * dims];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % 10);
            for (int d = 0; d < dims; d++) points[i * dims + d] = labels[i] * 10 + rng.NextUniform(-1, 1);
        }
        Assert.Equal(1.0, LatentKnn.Accuracy(points, labels, points, labels, dims));
    }

    [Fact]
    public void ImportanceWeightedBoundIsBelowTheElboAndMatchesItAtOneSample()
    {
        var spec = new ModelSpec { InputShape = [8, 8], Hidden = [16], Latent = 2 };
        var trainer = Trainer.ForNewModel(spec, new TrainingOptions { Epochs = 3, BatchSize = 32, LearningRate = 1e-2f });
        var data = SyntheticDigits.Create(200, 3);
        trainer.Fit(data, null);
        var model = trainer.Model;

        double elbo = Enumerable.Range(0, 20).Average(i => ElboResult.Evaluate(model, data, 100, new Rng((ulong)i)).NegativeElbo);
        double iwOne = Enumerable.Range(0, 20).Average(i => ImportanceWeightedBound.Evaluate(model, data, 1, new Rng((ulong)i + 100)));
        double iwMany = ImportanceWeightedBound.Evaluate(model, data, 200, new Rng(7));
        Assert.InRange(iwOne, elbo - 0.5, elbo + 0.5);
        Assert.True(iwMany < elbo - 0.1, $"IW(200) {iwMany} should be below the -ELBO {elbo}");
    }

    [Fact]
    public void TheReportTellsEachStageAndTheBoundsImagesWithoutChangingAScore()
    {
        var spec = new ModelSpec { InputShape = [8, 8], Hidden = [16], Latent = 2 };
        var trainer = Trainer.ForNewModel(spec, new TrainingOptions { Epochs = 1, BatchSize = 32 });
        var data = SyntheticDigits.Create(120, 3);
        trainer.Fit(data, null);
        var steps = new List<EvaluationProgress>();

        var quiet = EvaluationReport.Evaluate(trainer.Model, data, data, 4, new Rng(5));
        var told = EvaluationReport.Evaluate(trainer.Model, data, data, 4, new Rng(5), new InlineProgress<EvaluationProgress>(steps.Add));

        Assert.Equal(quiet, told);
        Assert.Equal(["test -ELBO", "IW bound, K=4", "IW bound, K=4", "IW bound, K=4", "IW bound, K=4", "latent 5-NN"], steps.Select(step => step.Stage));
        Assert.Equal([(0, 120), (0, 120), (50, 120), (100, 120), (120, 120), (0, 1)], steps.Select(step => (step.Done, step.Total))); // the bound goes 50 images a batch
    }

    [Fact]
    public void LatentMeansAreTheEncoderMeansRowByRow()
    {
        var model = new VaeModel(new ModelSpec { InputShape = [8, 8], Hidden = [4], Latent = 2 }, new Rng(1));
        var data = SyntheticDigits.Create(7, 1);
        var means = LatentMeans.Compute(model, data, batchSize: 3);
        // Batch by batch (3, 3, 1 rows): a product of 7 rows may take another GEMM path, summing in another order.
        var expected = new List<float>();
        foreach (var rows in new[] { 0..3, 3..6, 6..7 })
        {
            var x = new Tensor(new Shape(rows.End.Value - rows.Start.Value, 64));
            data.CopyBatch(Enumerable.Range(rows.Start.Value, x.Shape.Rows).ToArray(), x.Span);
            expected.AddRange(model.Transform(x).ToArray());
        }
        Assert.Equal(expected, means);
    }
}

public class DigitClassifierTests
{
    [Fact]
    public void SoftmaxRegressionLearnsSeparableDigits()
    {
        var train = SyntheticDigits.Create(400, 1);
        var test = SyntheticDigits.Create(100, 2);
        var classifier = DigitClassifier.Train(train, new Rng(3), epochs: 10, batchSize: 32);
        var x = new float[test.Count * test.Features];
        test.CopyBatch(Enumerable.Range(0, test.Count).ToArray(), x);
        Assert.True(classifier.Accuracy(x, test.Labels) > 0.95);
        // Blank images carry no bar, so accuracy falls towards chance.
        Assert.True(classifier.Accuracy(new float[x.Length], test.Labels) < 0.5);
    }
}

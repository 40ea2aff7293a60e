using VaeSharp.Autograd;
using VaeSharp.Data;
using VaeSharp.Nn;
using VaeSharp.Optim;
using VaeSharp.Tensors;

namespace VaeSharp.Evaluation;

/// <summary>
/// Softmax regression on pixels, trained on clean digits: a fixed yardstick for how recognisable imputed digits are,
/// independent of the model that imputed them.
/// </summary>
public sealed class DigitClassifier
{
    private readonly Dense _layer;

    private DigitClassifier(Dense layer) => _layer = layer;

    /// <summary>Fits a (features → classes) softmax regression with Adam on labelled <paramref name="train"/>.</summary>
    public static DigitClassifier Train(Dataset train, Rng rng, int epochs = 3, int batchSize = 128, int classes = Dataset.ClassCount)
    {
        if (train.Labels is null) throw new ArgumentException("the classifier needs labelled training data");
        var parameters = new ParameterSet();
        var layer = new Dense(parameters, "classifier", train.Features, classes, WeightInit.Glorot, rng);
        parameters.Seal();
        var optimizer = new Adam(parameters, 1e-3f);
        var tape = new Tape();
        var order = Enumerable.Range(0, train.Count).ToArray();
        var x = new float[batchSize * train.Features]; // x: (batch, features)
        var labels = new byte[batchSize];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            rng.Shuffle(order.AsSpan());
            for (int start = 0; start < order.Length; start += batchSize)
            {
                int rows = Math.Min(batchSize, order.Length - start);
                var batch = order.AsSpan(start, rows);
                train.CopyBatch(batch, x.AsSpan(0, rows * train.Features));
                for (int i = 0; i < rows; i++) labels[i] = train.Labels[batch[i]];
                tape.Reset();
                parameters.ZeroGradients();
                var logits = layer.Forward(tape, Var.Constant(new Tensor(new Shape(rows, train.Features), x)));
                tape.Backward(tape.SoftmaxCrossEntropy(logits, labels.AsSpan(0, rows)));
                optimizer.Step();
            }
        }
        return new DigitClassifier(layer);
    }

    /// <summary>The fraction of <paramref name="images"/> (count, features) whose most likely class is the label.</summary>
    public double Accuracy(ReadOnlySpan<float> images, ReadOnlySpan<byte> labels)
    {
        int features = _layer.Inputs, count = labels.Length;
        if (images.Length != (long)count * features) throw new ArgumentException($"{images.Length} values are not {count} images of {features}");
        var logits = _layer.Forward(new Tape(recording: false), Var.Constant(Tensor.FromArray(images.ToArray(), count, features))).Value;
        int correct = 0;
        for (int row = 0; row < count; row++)
            if (System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits.Row(row)) == labels[row]) correct++;
        return (double)correct / count;
    }
}

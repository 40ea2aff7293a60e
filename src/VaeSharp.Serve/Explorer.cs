using System.Text.Json;
using VaeSharp.Data;
using VaeSharp.Evaluation;
using VaeSharp.Imputation;
using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Serve;

/// <summary>
/// What <c>vae serve</c> serves: one loaded model, read-only, with the latent map of a set of digits and the run's
/// eval metrics. Every method takes input the API has already validated and may run on several threads at once:
/// inference records on a fresh, unpooled tape per call and only reads the weights, so calls share no mutable state.
/// </summary>
public sealed class Explorer
{
    private Explorer(VaeModel model, Dataset? digits, LatentMap map, JsonElement? evalMetrics)
    {
        Model = model;
        Digits = digits;
        Map = map;
        EvalMetrics = evalMetrics;
    }

    /// <summary>The model; never trained or changed here.</summary>
    public VaeModel Model { get; }

    /// <summary>The digits behind the map (the first <see cref="LatentMap.Count"/> of them), or null when there are none.</summary>
    public Dataset? Digits { get; }

    /// <summary>The latent map of the digits.</summary>
    public LatentMap Map { get; }

    /// <summary>eval.json's object, when the run has one.</summary>
    public JsonElement? EvalMetrics { get; }

    /// <summary>Encodes the first <paramref name="maxPoints"/> of <paramref name="digits"/> once, for the map.</summary>
    /// <param name="model">The model to serve.</param>
    /// <param name="digits">Images with the model's input size (e.g. the MNIST test set), or null for an empty map.</param>
    /// <param name="maxPoints">How many of them to put on the map, at least 1.</param>
    /// <param name="evalMetrics">eval.json's root object, or null.</param>
    /// <exception cref="ArgumentException">The digits do not fit the model, or the metrics are not an object.</exception>
    public static Explorer Create(VaeModel model, Dataset? digits, int maxPoints, JsonElement? evalMetrics)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 1);
        if (evalMetrics is { ValueKind: not JsonValueKind.Object }) throw new ArgumentException("the eval metrics must be a JSON object", nameof(evalMetrics));
        if (digits is not { Count: > 0 })
            return new Explorer(model, null, LatentMap.Identity(model.LatentSize), evalMetrics?.Clone());
        var (means, labels) = LatentMeans.Encode(model, digits, maxPoints);
        return new Explorer(model, digits, LatentMap.Create(means, labels), evalMetrics?.Clone());
    }

    /// <summary>The decoder's means for latent points z (rows, latent): (rows, in).</summary>
    public float[] Decode(float[] z, int rows) => Model.Decode(Tensor.FromArray(z, rows, Model.LatentSize)).Span.ToArray();

    /// <summary>The posterior of each image (rows, in), every pixel observed: mu and logVar, each (rows, latent), and the map points (rows, 2).</summary>
    public (float[] Mu, float[] LogVar, float[] MapPoints) Encode(float[] images, int rows)
    {
        var (mu, logVar) = Model.Encode(Tensor.FromArray(images, rows, Model.InputSize));
        var points = new float[2 * rows];
        for (int row = 0; row < rows; row++) Map.Project(mu.Row(row), points.AsSpan(2 * row, 2));
        return (mu.Span.ToArray(), logVar.Span.ToArray(), points);
    }

    /// <summary>K completions of one image whose <paramref name="mask"/> (1 observed) hides some pixels, and their per-pixel spread.</summary>
    /// <exception cref="InvalidOperationException">The model is not masked.</exception>
    public MultipleImputation Impute(float[] image, byte[] mask, int samples, ulong seed)
    {
        if (!Model.Spec.Masked) throw new InvalidOperationException("imputation needs a masked model");
        return VaeImputation.ImputeMultiple(Model, new MissingData(image, mask, 1, Model.InputSize), samples, iterations: 0, new Rng(seed));
    }

    /// <summary>Decodes <paramref name="count"/> draws from the prior, the same for the same seed: (count, in).</summary>
    public float[] Generate(int count, ulong seed) => Model.Generate(count, new Rng(seed)).Span.ToArray();

    /// <summary>Digit <paramref name="index"/> of <see cref="Digits"/> as floats in [0, 1], with its label (−1 when unknown).</summary>
    public (float[] Image, int Label) Digit(int index)
    {
        var digits = Digits ?? throw new InvalidOperationException("the server has no digits");
        var image = new float[digits.Features];
        digits.CopyRange(index, 1, image);
        return (image, digits.Labels is { } labels ? labels[index] : -1);
    }
}

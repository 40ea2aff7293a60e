using VaeSharp.Models;
using VaeSharp.Tensors;
using VaeSharp.Training;

namespace VaeSharp.Imputation;

/// <summary>
/// Imputes a table with a masked VAE sized to it: each numeric column is standardized with its observed values, an MLP
/// VAE with a Gaussian output learns from the observed cells only (a category's one-hot block, given in
/// <see cref="VaeImputerOptions.CategoricalBlocks"/>, gets a softmax head and the cross-entropy), and its imputations are
/// mapped back to the columns' units. On a CSV: <c>var encoding = TableEncoding.For(TabularCsv.Read(path))</c>, then
/// <c>encoding.Write(new VaeImputer().Fit(encoding.Data).Transform(encoding.Data))</c> is the completed text.
/// </summary>
/// <param name="options">Training and sampling settings; the defaults when null.</param>
public sealed class VaeImputer(VaeImputerOptions? options = null) : IImputer
{
    private double[]? _means, _scales;

    /// <inheritdoc />
    public string Name => "vae";

    /// <summary>The settings.</summary>
    public VaeImputerOptions Options { get; } = options ?? new VaeImputerOptions();

    /// <summary>The trained model, once fitted.</summary>
    public VaeModel? Model { get; private set; }

    /// <summary>The per-epoch mean loss of the last fit.</summary>
    public List<double> LossHistory { get; } = [];

    /// <summary>
    /// The architecture for <paramref name="columns"/> columns: two hidden layers and a latent that grow with the
    /// columns, and a softmax head over each of <paramref name="categoricalBlocks"/>.
    /// </summary>
    public static ModelSpec SpecFor(int columns, IReadOnlyList<(int Start, int Count)>? categoricalBlocks = null) => new()
    {
        CategoricalBlocks = categoricalBlocks is { Count: > 0 } ? [.. categoricalBlocks.Select(block => new[] { block.Start, block.Count })] : null,
        Name = "tabular-impute",
        InputShape = [columns],
        Hidden = [Math.Clamp(8 * columns, 32, 256), Math.Clamp(4 * columns, 16, 128)],
        Latent = Math.Clamp(columns / 2, 2, 16),
        Masked = true,
        Loss = ReconstructionLoss.Gaussian,
    };

    /// <inheritdoc />
    public IImputer Fit(MissingData reference)
    {
        if (reference.Rows == 0) throw new ArgumentException("no rows to learn from");
        _means = reference.ObservedMeans();
        int empty = Array.FindIndex(_means, double.IsNaN);
        if (empty >= 0) throw new ArgumentException($"column {empty} has no observed value");
        _scales = reference.ObservedScales();
        foreach (var (start, count) in Options.CategoricalBlocks)
            for (int col = start; col < start + count; col++) (_means[col], _scales[col]) = (0, 1); // one-hot stays 0/1 for the cross-entropy
        var standardized = Standardize(reference);
        var trainingOptions = new TrainingOptions { BatchSize = Options.BatchSize, LearningRate = Options.LearningRate, Epochs = Options.Epochs, Seed = Options.Seed + 1 };
        var trainer = new Trainer(new VaeModel(SpecFor(reference.Cols, Options.CategoricalBlocks), new Rng(Options.Seed)), trainingOptions);
        var rng = new Rng(Options.Seed + 2);
        var order = Enumerable.Range(0, reference.Rows).ToArray();
        int cols = reference.Cols;
        LossHistory.Clear();
        for (int epoch = 0; epoch < Options.Epochs; epoch++)
        {
            rng.Shuffle(order.AsSpan());
            double total = 0;
            for (int start = 0; start < order.Length; start += Options.BatchSize)
            {
                int rows = Math.Min(Options.BatchSize, order.Length - start);
                var x = new Tensor(new Shape(rows, cols)); // x: (batch, cols), standardized, 0 where missing
                var mask = new Tensor(new Shape(rows, cols)); // mask: (batch, cols)
                for (int r = 0; r < rows; r++)
                {
                    int source = order[start + r] * cols;
                    standardized.AsSpan(source, cols).CopyTo(x.Row(r));
                    for (int c = 0; c < cols; c++) mask.Row(r)[c] = reference.Mask[source + c];
                }
                total += trainer.PartialFit(x, mask).Total * rows;
            }
            LossHistory.Add(total / order.Length);
        }
        Model = trainer.Model;
        return this;
    }

    /// <inheritdoc />
    public float[] Transform(MissingData data) => TransformWithUncertainty(data, keepDraws: false).Mean;

    /// <summary>
    /// The completed table and, per cell, the standard deviation across <see cref="VaeImputerOptions.Samples"/> draws
    /// (zeros with one sample and at observed cells), both in the columns' own units.
    /// </summary>
    /// <param name="data">The table to complete.</param>
    /// <param name="keepDraws">False keeps no draw (<see cref="MultipleImputation.Draws"/> is empty), so that many draws of a long table fit in memory.</param>
    public MultipleImputation TransformWithUncertainty(MissingData data, bool keepDraws = true)
    {
        var model = Model ?? throw new InvalidOperationException("call Fit first");
        if (data.Cols != _means!.Length) throw new ArgumentException($"fitted on {_means.Length} columns, given {data.Cols}");
        var standardized = new MissingData(Standardize(data), data.Mask, data.Rows, data.Cols);
        MultipleImputation result;
        if (Options.Samples <= 1)
        {
            // One sample is the decoding of z = mu: its own mean, with no spread and nothing summed.
            var single = VaeImputation.Impute(model, standardized);
            result = new MultipleImputation(keepDraws ? [single] : [], single, new float[single.Length]);
        }
        else result = VaeImputation.ImputeMultiple(model, standardized, Options.Samples, Options.Iterations, new Rng(Options.Seed + 3), keepDraws: keepDraws);
        var mean = data.KeepObserved(Unstandardize(result.Mean, data.Cols));
        var deviation = new float[mean.Length];
        for (int i = 0; i < deviation.Length; i++)
            deviation[i] = data.Mask[i] != 0 ? 0f : (float)(result.StandardDeviation[i] * _scales![i % data.Cols]);
        return new MultipleImputation([.. result.Draws.Select(draw => data.KeepObserved(Unstandardize(draw, data.Cols)))], mean, deviation);
    }

    private float[] Standardize(MissingData data)
    {
        var result = new float[data.Values.Length];
        for (int i = 0; i < result.Length; i++)
        {
            int col = i % data.Cols;
            result[i] = data.Mask[i] == 0 ? 0f : (float)((data.Values[i] - _means![col]) / _scales![col]);
        }
        return result;
    }

    private float[] Unstandardize(float[] values, int cols)
    {
        var result = new float[values.Length];
        for (int i = 0; i < result.Length; i++) result[i] = (float)(values[i] * _scales![i % cols] + _means![i % cols]);
        return result;
    }
}

using VaeSharp.Autograd;
using VaeSharp.Nn;
using VaeSharp.Tensors;

namespace VaeSharp.Models;

/// <summary>
/// How a <see cref="ModelSpec.Conditional"/> decoder reads the observed entries besides its body: a dense linear map
/// from [x·mask, mask] to the logits and, for images with <see cref="ModelSpec.LocalFilters"/> set, three 3×3
/// convolutions over the two-channel image (x·mask, mask). The convolutions can fill a missing pixel from whichever
/// neighbours are observed, which a linear map cannot: it cannot tell a missing neighbour from a black one.
/// </summary>
internal sealed class ObservedPaths
{
    private readonly Dense _linear; // [x·mask, mask] (2·in) → logits (in)
    private readonly Sequential? _local; // (batch, height, width, 2) → (batch, height, width, 1)
    private readonly int _features;

    public ObservedPaths(ModelSpec spec, ParameterSet parameters, Rng rng)
    {
        _features = spec.InputSize;
        _linear = new Dense(parameters, "decoder.observed", 2 * _features, _features, spec.Init, rng);
        if (spec.LocalFilters == 0) return;
        int filters = spec.LocalFilters;
        _local = new Sequential([
            new Conv2D(parameters, "decoder.local1", 2, filters, 3, 1, Padding.Same, WeightInit.He, rng), new Activation(ActivationKind.Relu),
            new Conv2D(parameters, "decoder.local2", filters, filters, 3, 1, Padding.Same, WeightInit.He, rng), new Activation(ActivationKind.Relu),
            new Conv2D(parameters, "decoder.local3", filters, 1, 3, 1, Padding.Same, WeightInit.Glorot, rng),
        ]);
        LocalShape = new Shape(spec.InputShape[0], spec.InputShape[1], 2);
    }

    /// <summary>The local path's input per example, (height, width, 2); (1) without one.</summary>
    public Shape LocalShape { get; } = new(1);

    /// <summary>The linear path, then the local path's layers (if any), for a model summary.</summary>
    public (Dense Linear, IReadOnlyList<Module> Local) Layers => (_linear, _local?.Layers ?? []);

    /// <summary>The paths' sum of logits: observed (batch, 2·in) as [x·mask, mask] → (batch, in).</summary>
    public Var Forward(Tape tape, Var observed)
    {
        var logits = _linear.Forward(tape, observed);
        if (_local is null) return logits;
        int rows = observed.Shape.Rows;
        // [x·mask | mask] per row → pixels with two channels, NHWC.
        var image = tape.NewTensor(new Shape(rows, LocalShape[0], LocalShape[1], 2)); // image: (batch, height, width, 2)
        var pixels = image.Span;
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<float> source = observed.Value.Row(row);
            var target = pixels.Slice(row * 2 * _features, 2 * _features);
            for (int j = 0; j < _features; j++)
            {
                target[2 * j] = source[j];
                target[2 * j + 1] = source[_features + j];
            }
        }
        var local = _local.Forward(tape, Var.Constant(image)); // (batch, height, width, 1)
        return tape.Add(logits, tape.Reshape(local, rows, _features));
    }
}

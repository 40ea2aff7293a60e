using VaeSharp.Nn;
using VaeSharp.Tensors;

namespace VaeSharp.Models;

/// <summary>
/// Turns a <see cref="ModelSpec"/> into encoder and decoder layer stacks, checking shapes on the way so that a bad
/// spec fails with the field that is wrong (<c>decoder[1].shape</c>) rather than deep inside a forward pass.
/// </summary>
internal static class NetworkBuilder
{
    /// <summary>
    /// The most weights one layer may have (512 MB of float32). Checked before the layer allocates, so that a spec
    /// from an untrusted file cannot ask for more memory than a real model needs.
    /// </summary>
    public const long MaxLayerParameters = 1L << 27;

    /// <summary>The encoder body: flat input (features) → flat hidden (width); the mu and logVar heads are separate.</summary>
    public static (Sequential Body, int Width) Encoder(ModelSpec spec, ParameterSet parameters, Rng rng, string source)
    {
        if (spec.Encoder is null)
            return Mlp("encoder.dense", spec.EncoderInputSize, spec.Hidden, spec, parameters, rng);
        var layers = new List<Module>();
        var shape = new Shape(spec.EncoderInputSize);
        if (spec.Encoder.Count > 0 && spec.Encoder[0].Type is LayerType.Conv2d or LayerType.ConvTranspose2d)
            Add(layers, new Reshape(ImageShape(spec, source)), ref shape);
        shape = Stack("encoder", spec.Encoder, layers, shape, spec, parameters, rng, source);
        if (shape.Rank != 1) throw new ModelSpecException($"encoder must end flat, not {shape}; add {{\"type\": \"flatten\"}} ({source})");
        return (new Sequential(layers), shape[0]);
    }

    /// <summary>The decoder: latent (latent) → logits (features).</summary>
    public static Sequential Decoder(ModelSpec spec, ParameterSet parameters, Rng rng, string source)
    {
        if (spec.Decoder is null)
        {
            var (body, width) = Mlp("decoder.dense", spec.DecoderInputSize, [.. spec.Hidden.Reverse()], spec, parameters, rng);
            return new Sequential([.. body.Layers, new Dense(parameters, "decoder.output", width, spec.InputSize, spec.Init, rng)]);
        }
        var layers = new List<Module>();
        var shape = Stack("decoder", spec.Decoder, layers, new Shape(spec.Latent), spec, parameters, rng, source);
        if (shape.Size != spec.InputSize)
            throw new ModelSpecException($"decoder ends at {shape} = {shape.Size} values, the input has {spec.InputSize} (decoder) ({source})");
        if (shape.Rank != 1) Add(layers, new Flatten(), ref shape);
        return new Sequential(layers);
    }

    private static (Sequential, int) Mlp(string prefix, int inputs, int[] widths, ModelSpec spec, ParameterSet parameters, Rng rng)
    {
        var layers = new List<Module>();
        int width = inputs;
        for (int i = 0; i < widths.Length; i++)
        {
            layers.Add(new Dense(parameters, $"{prefix}{i + 1}", width, widths[i], spec.Init, rng));
            layers.Add(new Activation(spec.Activation));
            width = widths[i];
        }
        return (new Sequential(layers), width);
    }

    /// <summary>
    /// Whether an argument error comes from one of VaeSharp's own shape checks (a layer, Shape, the conv geometry),
    /// which a bad spec trips, rather than from the runtime's bounds checks, which only a bug trips: a span sliced out
    /// of range must escape as itself, not pass as a clean rejection of the spec.
    /// </summary>
    internal static bool IsShapeCheck(ArgumentException error) =>
        error.TargetSite?.DeclaringType?.Assembly == typeof(NetworkBuilder).Assembly;

    private static Shape Stack(string part, IReadOnlyList<LayerSpec> specs, List<Module> layers, Shape shape,
        ModelSpec spec, ParameterSet parameters, Rng rng, string source)
    {
        var counts = new Dictionary<LayerType, int>();
        for (int i = 0; i < specs.Count; i++)
        {
            var layer = specs[i];
            string field = $"{part}[{i}]";
            int number = counts[layer.Type] = counts.GetValueOrDefault(layer.Type) + 1;
            try
            {
                Add(layers, Create(layer, $"{part}.{Prefix(layer.Type)}{number}", shape, spec, parameters, rng, field), ref shape);
            }
            catch (ArgumentException e) when (IsShapeCheck(e))
            {
                throw new ModelSpecException($"{field}: {e.Message.Split(" (Parameter")[0]} ({source})");
            }
            if (layer.Activation is ActivationKind activation) Add(layers, new Activation(activation), ref shape);
        }
        return shape;
    }

    private static Module Create(LayerSpec layer, string name, Shape shape, ModelSpec spec, ParameterSet parameters, Rng rng, string field)
    {
        switch (layer.Type)
        {
            case LayerType.Dense:
                Require(shape.Rank == 1, $"dense needs a flat input, not {shape}; add {{\"type\": \"flatten\"}} before it");
                Require(layer.Units >= 1, "units must be at least 1");
                RequireSize((long)shape[0] * layer.Units);
                return new Dense(parameters, name, shape[0], layer.Units, spec.Init, rng);
            case LayerType.Conv2d or LayerType.ConvTranspose2d:
                Require(shape.Rank == 3, $"{layer.Type.ToString().ToLowerInvariant()} needs (height, width, channels), not {shape}; add a reshape before it");
                Require(layer.Filters >= 1, "filters must be at least 1");
                Require(layer.Kernel >= 1 && layer.Stride >= 1, "kernel and stride must be at least 1");
                RequireSize((long)shape[2] * layer.Filters * Math.Min(layer.Kernel, 1 << 16) * Math.Min(layer.Kernel, 1 << 16));
                return layer.Type == LayerType.Conv2d
                    ? new Conv2D(parameters, name, shape[2], layer.Filters, layer.Kernel, layer.Stride, layer.Padding, spec.Init, rng)
                    : new ConvTranspose2D(parameters, name, shape[2], layer.Filters, layer.Kernel, layer.Stride, layer.Padding, spec.Init, rng, layer.OutputPadding);
            case LayerType.Flatten:
                return new Flatten();
            case LayerType.Reshape:
                Require(layer.Shape is { Length: > 0 } dims && dims.All(d => d >= 1), "shape must list dimensions of at least 1");
                return new Reshape(layer.Shape!);
            default:
                throw new ArgumentException($"unknown layer type at {field}");
        }
    }

    private static void Add(List<Module> layers, Module layer, ref Shape shape)
    {
        shape = layer.OutputShape(shape);
        layers.Add(layer);
    }

    private static string Prefix(LayerType type) => type switch
    {
        LayerType.Conv2d => "conv",
        LayerType.ConvTranspose2d => "conv_transpose",
        _ => type.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// A rank-2 input shape is one grayscale channel. A masked encoder input [x·mask, mask] is two images one after
    /// the other in row-major order, so it reshapes without copying into one image of twice the height.
    /// </summary>
    private static int[] ImageShape(ModelSpec spec, string source)
    {
        int[] shape = spec.InputShape.Length switch
        {
            2 => [spec.InputShape[0], spec.InputShape[1], 1],
            3 => [.. spec.InputShape],
            _ => throw new ModelSpecException($"input_shape must be (height, width) or (height, width, channels) for a convolution ({source})"),
        };
        if (spec.Masked) shape[0] *= 2;
        return shape;
    }

    private static void RequireSize(long weights) =>
        Require(weights <= MaxLayerParameters, $"the layer would have {weights} weights, more than {MaxLayerParameters}");

    private static void Require(bool condition, string problem)
    {
        if (!condition) throw new ArgumentException(problem);
    }
}

using VaeSharp.Autograd;
using VaeSharp.Nn;

namespace VaeSharp.Models;

/// <summary>
/// One layer of a custom encoder or decoder stack in a <see cref="ModelSpec"/>, e.g.
/// <c>{"type": "conv2d", "filters": 64, "kernel": 3, "stride": 2, "padding": "same", "activation": "relu"}</c>.
/// </summary>
public sealed record LayerSpec
{
    /// <summary>The kind of layer.</summary>
    public LayerType Type { get; init; }

    /// <summary>Output width of a dense layer.</summary>
    public int Units { get; init; }

    /// <summary>Output channels of a convolution.</summary>
    public int Filters { get; init; }

    /// <summary>Kernel height and width of a convolution.</summary>
    public int Kernel { get; init; } = 3;

    /// <summary>Stride of a convolution (the upsampling factor of a transposed one).</summary>
    public int Stride { get; init; } = 1;

    /// <summary>Padding of a convolution, as Keras defines it.</summary>
    public Padding Padding { get; init; } = Padding.Same;

    /// <summary>Extra rows and columns at the bottom and right of a transposed convolution's output.</summary>
    public int OutputPadding { get; init; }

    /// <summary>The per-example shape after a reshape layer.</summary>
    public int[]? Shape { get; init; }

    /// <summary>The nonlinearity after the layer; none when null.</summary>
    public ActivationKind? Activation { get; init; }
}

/// <summary>The layer kinds a custom stack can hold.</summary>
public enum LayerType
{
    /// <summary>Fully connected; needs a flat input.</summary>
    Dense,

    /// <summary>2-D convolution on (height, width, channels).</summary>
    Conv2d,

    /// <summary>2-D transposed convolution on (height, width, channels).</summary>
    ConvTranspose2d,

    /// <summary>(height, width, channels) → (height·width·channels).</summary>
    Flatten,

    /// <summary>A new per-example shape of the same size.</summary>
    Reshape,
}

using VaeSharp.Tensors;

namespace VaeSharp.Nn;

/// <summary>Weight initialisers, drawing from an explicit generator.</summary>
public static class Init
{
    /// <summary>Glorot/Xavier uniform: U(−a, a) with a = √(6 / (fanIn + fanOut)); Keras's default for Dense.</summary>
    public static void GlorotUniform(Span<float> weights, int fanIn, int fanOut, Rng rng)
    {
        float limit = MathF.Sqrt(6f / (fanIn + fanOut));
        for (int i = 0; i < weights.Length; i++) weights[i] = rng.NextUniform(-limit, limit);
    }

    /// <summary>He (Kaiming) uniform: U(−a, a) with a = √(6 / fanIn), which keeps relu activations' variance.</summary>
    public static void HeUniform(Span<float> weights, int fanIn, Rng rng)
    {
        float limit = MathF.Sqrt(6f / fanIn);
        for (int i = 0; i < weights.Length; i++) weights[i] = rng.NextUniform(-limit, limit);
    }

    /// <summary>U(−a, a) with a = 1/√fanIn: PyTorch's nn.Linear default, for weights and biases alike.</summary>
    public static void FanInUniform(Span<float> values, int fanIn, Rng rng)
    {
        float limit = 1f / MathF.Sqrt(fanIn);
        for (int i = 0; i < values.Length; i++) values[i] = rng.NextUniform(-limit, limit);
    }

    /// <summary>
    /// Initialises a layer: the weights by <paramref name="scheme"/>, and the bias at zero, except under
    /// <see cref="WeightInit.FanInUniform"/>, which draws the bias like the weights, as PyTorch does.
    /// </summary>
    public static void Layer(WeightInit scheme, Span<float> weights, Span<float> bias, int fanIn, int fanOut, Rng rng)
    {
        Apply(scheme, weights, fanIn, fanOut, rng);
        if (scheme == WeightInit.FanInUniform) FanInUniform(bias, fanIn, rng);
        else bias.Clear();
    }

    /// <summary>Fills <paramref name="weights"/> by the named scheme.</summary>
    public static void Apply(WeightInit scheme, Span<float> weights, int fanIn, int fanOut, Rng rng)
    {
        switch (scheme)
        {
            case WeightInit.Glorot: GlorotUniform(weights, fanIn, fanOut, rng); break;
            case WeightInit.He: HeUniform(weights, fanIn, rng); break;
            case WeightInit.FanInUniform: FanInUniform(weights, fanIn, rng); break;
            default: throw new ArgumentOutOfRangeException(nameof(scheme), scheme, null);
        }
    }
}

/// <summary>Weight initialisation schemes.</summary>
public enum WeightInit
{
    /// <summary>Glorot/Xavier uniform.</summary>
    Glorot,

    /// <summary>He/Kaiming uniform.</summary>
    He,

    /// <summary>U(±1/√fanIn) for weights and biases, as PyTorch's nn.Linear initialises itself.</summary>
    FanInUniform,
}

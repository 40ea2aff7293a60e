namespace VaeSharp.Models;

/// <summary>Which half of a VAE a file holds: the whole model, or the encoder or decoder on its own.</summary>
public enum ModelPart
{
    /// <summary>Encoder and decoder: a whole model.</summary>
    Vae,

    /// <summary>The recognition model q(z|x) alone: the weights under <c>encoder.</c>.</summary>
    Encoder,

    /// <summary>The generator p(x|z) alone: the weights under <c>decoder.</c>.</summary>
    Decoder,
}

/// <summary>A model part that cannot serve the use asked of it, e.g. a decoder given where an encoder is needed.</summary>
public sealed class ModelPartException(string message) : Exception(message);

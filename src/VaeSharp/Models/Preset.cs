using VaeSharp.Nn;
using VaeSharp.Optim;

namespace VaeSharp.Models;

/// <summary>A named model spec with the training defaults its source used.</summary>
/// <param name="Spec">The architecture.</param>
/// <param name="Optimizer">The optimizer.</param>
/// <param name="LearningRate">The step size.</param>
/// <param name="BatchSize">Examples per step.</param>
/// <param name="Epochs">Passes over the training set.</param>
public sealed record Preset(ModelSpec Spec, OptimizerKind Optimizer, float LearningRate, int BatchSize, int Epochs)
{
    /// <summary>The preset's name.</summary>
    public string Name => Spec.Name;

    /// <summary>
    /// 784-512-z2 relu, BCE + KL, Adam 1e-3, batch 128, 50 epochs: the Keras example (807,700 parameters). It takes
    /// PyTorch's fan-in uniform init rather than Keras's Glorot: measured here, that ends 5 epochs about 5 nats lower.
    /// </summary>
    public static Preset KerasMlp { get; } = new(
        new ModelSpec { Name = "keras-mlp", Hidden = [512], Latent = 2, Init = WeightInit.FanInUniform },
        OptimizerKind.Adam, 1e-3f, 128, 50);

    /// <summary>784-500-500-z20 softplus, Xavier init, Adam 1e-3, batch 100, 75 epochs: Kingma and Welling (1,316,824).</summary>
    public static Preset KingmaMlp { get; } = new(
        new ModelSpec { Name = "kingma-mlp", Hidden = [500, 500], Latent = 20, Activation = ActivationKind.Softplus },
        OptimizerKind.Adam, 1e-3f, 100, 75);

    /// <summary>784-400-z20 relu, Adam 1e-3, batch 128, 10 epochs: the PyTorch example (652,824 parameters).</summary>
    public static Preset PytorchMlp { get; } = new(
        new ModelSpec { Name = "pytorch-mlp", Hidden = [400], Latent = 20, Init = WeightInit.FanInUniform },
        OptimizerKind.Adam, 1e-3f, 128, 10);

    /// <summary>
    /// The Keras convolutional VAE: Conv 32 → Conv 64/2 → Conv 64 → Conv 64 (3×3, same, relu) → Dense 32 → z2, and
    /// Dense 14·14·64 → ConvTranspose 32/2 → Conv 1; RMSprop 1e-3, batch 16, 10 epochs (550,629 parameters).
    /// </summary>
    public static Preset Conv { get; } = new(
        new ModelSpec
        {
            Name = "conv",
            InputShape = [28, 28, 1],
            Hidden = [],
            Latent = 2,
            Encoder =
            [
                ConvLayer(LayerType.Conv2d, 32, 1), ConvLayer(LayerType.Conv2d, 64, 2), ConvLayer(LayerType.Conv2d, 64, 1),
                ConvLayer(LayerType.Conv2d, 64, 1), new LayerSpec { Type = LayerType.Flatten },
                new LayerSpec { Type = LayerType.Dense, Units = 32, Activation = ActivationKind.Relu },
            ],
            Decoder =
            [
                new LayerSpec { Type = LayerType.Dense, Units = 14 * 14 * 64, Activation = ActivationKind.Relu },
                new LayerSpec { Type = LayerType.Reshape, Shape = [14, 14, 64] },
                ConvLayer(LayerType.ConvTranspose2d, 32, 2),
                new LayerSpec { Type = LayerType.Conv2d, Filters = 1, Kernel = 3 }, // logits; sigmoid comes with the loss
            ],
        },
        OptimizerKind.RmsProp, 1e-3f, 16, 10);

    /// <summary>
    /// The masked imputation MLP: [x·mask, mask] (1568) → 400 → 200 → z3 and back 3 → 200 → 400 → 784, relu; the loss
    /// counts observed pixels only. Adam 1e-2, batch 500, 50 epochs (1,104,590 parameters).
    /// </summary>
    public static Preset ImputeMlp { get; } = new(
        new ModelSpec { Name = "impute-mlp", Hidden = [400, 200], Latent = 3, Masked = true },
        OptimizerKind.Adam, 1e-2f, 500, 50);

    /// <summary>
    /// The conditional imputation model (after VAEAC, Ivanov et al. 2019): impute-mlp's encoder with z20, a decoder
    /// body that reads [z, x·mask, mask] → 200 → 400 → 784, a linear map of [x·mask, mask] and a 16-channel local
    /// convolution path over the observed image, so that a missing pixel is drawn from its observed neighbours as
    /// well as from z. Adam 1e-3, batch 128, 10 epochs.
    /// </summary>
    public static Preset ImputeVaeac { get; } = new(
        new ModelSpec
        {
            Name = "impute-vaeac", Hidden = [400, 200], Latent = 20, Masked = true, Conditional = true, LocalFilters = 16,
            Init = WeightInit.FanInUniform,
        },
        OptimizerKind.Adam, 1e-3f, 128, 10);

    /// <summary>Every preset, by name.</summary>
    public static IReadOnlyList<Preset> All { get; } = [KerasMlp, KingmaMlp, PytorchMlp, Conv, ImputeMlp, ImputeVaeac];

    private static LayerSpec ConvLayer(LayerType type, int filters, int stride) =>
        new() { Type = type, Filters = filters, Kernel = 3, Stride = stride, Activation = ActivationKind.Relu };

    /// <summary>The preset called <paramref name="name"/>, or null.</summary>
    public static Preset? Find(string name) => All.FirstOrDefault(preset => preset.Name == name);
}

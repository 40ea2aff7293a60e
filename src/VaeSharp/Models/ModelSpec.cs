using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using VaeSharp.Nn;

namespace VaeSharp.Models;

/// <summary>
/// A VAE's architecture as plain JSON (snake_case keys): input shape, hidden widths, latent size, activation,
/// initialiser, reconstruction loss and KL weight. A preset is a named spec.
/// </summary>
public sealed record ModelSpec
{
    /// <summary>A name for summaries and file metadata (a preset's name, or "custom").</summary>
    public string Name { get; init; } = "custom";

    /// <summary>The shape of one example, e.g. [28, 28]; MLPs flatten it.</summary>
    public int[] InputShape { get; init; } = [28, 28];

    /// <summary>Hidden layer widths of the encoder; the decoder mirrors them.</summary>
    public int[] Hidden { get; init; } = [512];

    /// <summary>Latent dimensions.</summary>
    public int Latent { get; init; } = 2;

    /// <summary>A custom encoder stack; when null, an MLP of <see cref="Hidden"/> widths.</summary>
    public IReadOnlyList<LayerSpec>? Encoder { get; init; }

    /// <summary>A custom decoder stack ending in the logits; when null, the mirror of the MLP encoder.</summary>
    public IReadOnlyList<LayerSpec>? Decoder { get; init; }

    /// <summary>Hidden-layer nonlinearity of the MLP form.</summary>
    public ActivationKind Activation { get; init; } = ActivationKind.Relu;

    /// <summary>Weight initialiser for every Dense layer.</summary>
    public WeightInit Init { get; init; } = WeightInit.Glorot;

    /// <summary>Reconstruction term.</summary>
    public ReconstructionLoss Loss { get; init; } = ReconstructionLoss.Bce;

    /// <summary>β, the weight of the KL term.</summary>
    public float KlWeight { get; init; } = 1f;

    /// <summary>
    /// Turns off the clamp of the encoder's log-variance to [<see cref="VaeModel.LogVarMin"/>,
    /// <see cref="VaeModel.LogVarMax"/>], which is on by default (and then not written to the JSON).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool UnclampedLogVar { get; init; }

    /// <summary>
    /// Whether the model takes a mask (1 observed, 0 missing): the encoder then reads [x·mask, mask], twice the
    /// features, and the reconstruction term counts observed entries only. A convolutional encoder sees the two
    /// halves stacked vertically, as one image of twice the height.
    /// </summary>
    public bool Masked { get; init; }

    /// <summary>
    /// Whether a masked MLP model conditions on what is observed, as VAEAC does (Ivanov et al. 2019): the decoder
    /// reads [z, x·mask, mask] and a linear map of [x·mask, mask] (see <see cref="LocalFilters"/> for a local one), and
    /// the encoder, applied to less of x, also serves as the learned prior p(z | observed). Training hides a random
    /// share of each row's observed entries from the decoder and the prior, scores the hidden entries, and pulls the
    /// prior toward the posterior that saw them. Off by default (and then not written to the JSON).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Conditional { get; init; }

    /// <summary>
    /// Channels of a conditional image model's local path: three 3×3 convolutions from the (x·mask, mask) image to
    /// the logits. 0, the default, for none.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int LocalFilters { get; init; }

    /// <summary>
    /// Categorical variables of a Gaussian MLP model, each [start, count]: a one-hot block of the features. The decoder
    /// gives a softmax over each block instead of a Gaussian mean, and the reconstruction term scores it with the
    /// categorical cross-entropy (HI-VAE's heterogeneous likelihood). Null, the default, for none (then not written).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int[][]? CategoricalBlocks { get; init; }

    /// <summary>Number of input features: the product of <see cref="InputShape"/>.</summary>
    [JsonIgnore]
    public int InputSize => InputShape.Aggregate(1, (product, d) => product * d);

    /// <summary>The encoder's input width: <see cref="InputSize"/>, doubled for a masked model.</summary>
    [JsonIgnore]
    public int EncoderInputSize => Masked ? 2 * InputSize : InputSize;

    /// <summary>The decoder's input width: <see cref="Latent"/>, plus [x·mask, mask] for a conditional model.</summary>
    [JsonIgnore]
    public int DecoderInputSize => Conditional ? Latent + 2 * InputSize : Latent;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    /// <summary>The spec as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Parses and validates a spec; errors name <paramref name="source"/> and the offending field.</summary>
    /// <exception cref="ModelSpecException">The JSON is malformed or a field is out of range.</exception>
    public static ModelSpec FromJson(string json, string source)
    {
        ModelSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize<ModelSpec>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" at {e.Path.TrimStart('$', '.')}";
            throw new ModelSpecException($"invalid model spec{field}: {FirstSentence(e.Message)} ({source})");
        }
        if (spec is null) throw new ModelSpecException($"model spec is null ({source})");
        spec.Validate(source);
        return spec;
    }

    /// <summary>Checks every field's range; the error names the field.</summary>
    /// <exception cref="ModelSpecException">A field is out of range.</exception>
    public void Validate(string source = "spec")
    {
        [DoesNotReturn]
        void Fail(string field, string problem) => throw new ModelSpecException($"{field} {problem} ({source})");
        if (InputShape is null || InputShape.Length == 0) Fail("input_shape", "must list at least one dimension");
        if (InputShape.Any(d => d < 1)) Fail("input_shape", "dimensions must be at least 1");
        long features = 1;
        // Checked factor by factor: each is below 2^31 and the running product below 2^24, so it cannot wrap.
        foreach (int d in InputShape)
            if ((features *= d) > 1 << 24) Fail("input_shape", "is larger than 16M features");
        if (Hidden is null) Fail("hidden", "must be a list of widths");
        if (Hidden.Any(width => width < 1 || width > 1 << 16)) Fail("hidden", "widths must be between 1 and 65536");
        if (Latent < 1 || Latent > 4096) Fail("latent", "must be between 1 and 4096");
        int[] widths = [(int)features, .. Hidden, Latent]; // the MLP's layers join neighbours in this list
        for (int i = 1; Encoder is null && i < widths.Length; i++)
            if ((long)widths[i - 1] * widths[i] > NetworkBuilder.MaxLayerParameters)
                Fail("hidden", $"makes a layer of {(long)widths[i - 1] * widths[i]} weights, more than {NetworkBuilder.MaxLayerParameters}");
        if (!(KlWeight >= 0) || float.IsInfinity(KlWeight)) Fail("kl_weight", "must be a finite number ≥ 0");
        if (!Enum.IsDefined(Activation)) Fail("activation", "must be relu, softplus, tanh or sigmoid");
        if (!Enum.IsDefined(Loss)) Fail("loss", "must be bce, mse or gaussian");
        if (!Enum.IsDefined(Init)) Fail("init", "must be glorot, he or fan_in_uniform");
        if (Conditional && !Masked) Fail("conditional", "needs masked: true");
        if (Conditional && Encoder is not null) Fail("conditional", "is defined for MLP models only, not encoder/decoder stacks");
        if (LocalFilters < 0 || LocalFilters > 256) Fail("local_filters", "must be between 0 and 256");
        if (LocalFilters > 0 && !Conditional) Fail("local_filters", "needs conditional: true");
        if (LocalFilters > 0 && InputShape.Length != 2) Fail("local_filters", "needs a two-dimensional input_shape (an image)");
        if (CategoricalBlocks is not null)
        {
            if (Loss != ReconstructionLoss.Gaussian || Conditional || Encoder is not null) Fail("categorical_blocks", "needs a Gaussian, non-conditional MLP model");
            int end = 0;
            foreach (var block in CategoricalBlocks)
                if (block is not [var start, var count] || start < end || count < 1 || (end = start + count) > features)
                    Fail("categorical_blocks", "must be [start, count] pairs in order, not overlapping, inside the input");
        }
        if ((Encoder is null) != (Decoder is null)) Fail(Encoder is null ? "encoder" : "decoder", "must be given together with the other stack");
        if (Encoder is null || Decoder is null) return;
        if (Encoder.Any(layer => layer is null)) Fail("encoder", "must not hold null layers");
        if (Decoder.Any(layer => layer is null)) Fail("decoder", "must not hold null layers");
        try
        {
            // Building on a throwaway parameter set checks every layer's shape with the builder's own rules.
            var parameters = new ParameterSet();
            NetworkBuilder.Encoder(this, parameters, new Tensors.Rng(0), source);
            NetworkBuilder.Decoder(this, parameters, new Tensors.Rng(0), source);
        }
        catch (ArgumentException e) when (NetworkBuilder.IsShapeCheck(e))
        {
            // A shape the builder cannot form (outside a layer's own checks, e.g. the image reshape) is still a bad spec.
            throw new ModelSpecException($"{e.Message.Split(" (Parameter")[0]} ({source})");
        }
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return (end < 0 ? message : message[..end]).Replace('\n', ' ');
    }
}

/// <summary>The reconstruction terms a spec can name.</summary>
public enum ReconstructionLoss
{
    /// <summary>Binary cross-entropy summed over features.</summary>
    Bce,

    /// <summary>Squared error of the sigmoid output summed over features (MSE × features), for data in [0, 1].</summary>
    Mse,

    /// <summary>
    /// Squared error of the decoder's raw (unbounded) output summed over features: a Gaussian likelihood of fixed
    /// variance, for standardized real-valued data such as table columns.
    /// </summary>
    Gaussian,
}

/// <summary>A model spec that cannot be parsed or is out of range; the message names the field.</summary>
public sealed class ModelSpecException(string message) : Exception(message);

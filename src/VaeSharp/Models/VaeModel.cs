using VaeSharp.Autograd;
using VaeSharp.Nn;
using VaeSharp.Tensors;

namespace VaeSharp.Models;

/// <summary>
/// A variational autoencoder: an encoder q(z|x) = N(mu, σ²) and a Bernoulli decoder p(x|z) (Gaussian for the
/// <see cref="ReconstructionLoss.Gaussian"/> loss). A masked model (<see cref="ModelSpec.Masked"/>) encodes
/// [x·mask, mask] and scores observed features only.
/// Throughout, the encoder's second head is logVar = log σ² (the log-variance, not log σ): sampling uses
/// z = mu + exp(½·logVar)·eps and the KL term uses the same logVar.
/// </summary>
public sealed class VaeModel
{
    /// <summary>
    /// The lowest log-variance the encoder may output. σ² = e^-30 ≈ 1e-13 is far below any useful posterior width,
    /// and below it exp(-logVar)-like terms and the KL's -logVar grow without bound as training runs away.
    /// </summary>
    public const float LogVarMin = -30f;

    /// <summary>
    /// The highest log-variance: σ = e^10 ≈ 22,000 already swamps any latent code, and e^logVar in the KL term
    /// would overflow float32 near logVar = 88, turning one bad batch into an infinite loss.
    /// </summary>
    public const float LogVarMax = 20f;

    private readonly Sequential _encoderBody;
    private readonly Dense _muHead, _logVarHead;
    private readonly Sequential _decoder;

    /// <summary>Builds the model of <paramref name="spec"/> with weights drawn from <paramref name="rng"/>.</summary>
    /// <exception cref="ModelSpecException">The spec is invalid.</exception>
    public VaeModel(ModelSpec spec, Rng rng)
    {
        spec.Validate();
        Spec = spec;
        Parameters = new ParameterSet();
        (_encoderBody, int width) = NetworkBuilder.Encoder(spec, Parameters, rng, "spec");
        _muHead = new Dense(Parameters, "encoder.mu", width, spec.Latent, spec.Init, rng);
        _logVarHead = new Dense(Parameters, "encoder.log_var", width, spec.Latent, spec.Init, rng);
        _decoder = NetworkBuilder.Decoder(spec, Parameters, rng, "spec");
        Parameters.Seal();
    }

    /// <summary>The architecture.</summary>
    public ModelSpec Spec { get; }

    /// <summary>All weights in one flat allocation, with dotted names.</summary>
    public ParameterSet Parameters { get; }

    /// <summary>Features per example.</summary>
    public int InputSize => Spec.InputSize;

    /// <summary>Latent dimensions.</summary>
    public int LatentSize => Spec.Latent;

    /// <summary>
    /// Every layer in order with its output shape per example and its parameter count, like Keras's summary():
    /// the encoder body, the mu and logVar heads (each from the body's output), then the decoder.
    /// </summary>
    public IReadOnlyList<LayerSummary> Summary()
    {
        var rows = new List<LayerSummary>();
        var shape = new Shape(Spec.EncoderInputSize);
        foreach (var layer in _encoderBody.Layers) rows.Add(Describe("encoder", layer, ref shape));
        var headInput = shape;
        rows.Add(Describe("encoder", _muHead, ref shape));
        rows.Add(Describe("encoder", _logVarHead, ref headInput));
        shape = new Shape(LatentSize);
        foreach (var layer in _decoder.Layers) rows.Add(Describe("decoder", layer, ref shape));
        return rows;
    }

    private static LayerSummary Describe(string part, Module layer, ref Shape shape)
    {
        shape = layer.OutputShape(shape);
        var parameters = layer.Parameters.ToList();
        string name = parameters.Count > 0 ? parameters[0].Name[..parameters[0].Name.LastIndexOf('.')] : part;
        return new LayerSummary(name, layer.Describe(), shape, parameters.Sum(entry => entry.Parameter.Shape.Size));
    }

    /// <summary>Records q(z|x): x (batch, in) → mu, logVar (batch, latent). A masked model sees every feature.</summary>
    public (Var Mu, Var LogVar) Encode(Tape tape, Var x) => Encode(tape, x, null);

    /// <summary>
    /// Records q(z | the observed part of x): x (batch, in) → mu, logVar (batch, latent). A masked model reads
    /// [x·mask, mask]; no gradient flows into x then, which is data. logVar is clamped to
    /// [<see cref="LogVarMin"/>, <see cref="LogVarMax"/>] unless <see cref="ModelSpec.UnclampedLogVar"/> is set, so
    /// that both the sample and the KL term see the clamped value.
    /// </summary>
    /// <param name="tape">Where to record.</param>
    /// <param name="x">The batch: (batch, in).</param>
    /// <param name="mask">(batch, in), 1 observed and 0 missing; null when every feature is observed.</param>
    /// <exception cref="ArgumentException">A mask is given to a model that is not masked, or a shape is wrong.</exception>
    public (Var Mu, Var LogVar) Encode(Tape tape, Var x, Tensor? mask)
    {
        RequireWidth(x, InputSize, "encoder input");
        if (mask is not null && !Spec.Masked) throw new ArgumentException("the model is not masked, so it cannot take a mask; train it with masked: true");
        if (mask is not null && !mask.Shape.Equals(x.Shape)) throw new ArgumentException($"the mask is {mask.Shape}, the batch {x.Shape}");
        var input = Spec.Masked ? Var.Constant(MaskedInput(tape, x.Value, mask)) : x;
        var hidden = _encoderBody.Forward(tape, input);
        var mu = _muHead.Forward(tape, hidden);
        var logVar = _logVarHead.Forward(tape, hidden);
        return (mu, Spec.UnclampedLogVar ? logVar : tape.Clamp(logVar, LogVarMin, LogVarMax));
    }

    /// <summary>[x·mask, mask]: (batch, 2·in); an absent mask is all ones.</summary>
    private static Tensor MaskedInput(Tape tape, Tensor x, Tensor? mask)
    {
        int rows = x.Shape.Rows, features = x.Shape.Cols;
        var input = tape.NewTensor(new Shape(rows, 2 * features)); // input: (batch, 2·in)
        for (int row = 0; row < rows; row++)
        {
            var target = input.Row(row);
            if (mask is null)
            {
                x.Row(row).CopyTo(target);
                target[features..].Fill(1f);
                continue;
            }
            // Chosen rather than x·mask so that a missing value the caller left as NaN still reads as 0.
            ReadOnlySpan<float> values = x.Row(row), observed = mask.Row(row);
            for (int j = 0; j < features; j++) target[j] = observed[j] != 0f ? values[j] * observed[j] : 0f;
            observed.CopyTo(target[features..]);
        }
        return input;
    }

    /// <summary>Records the decoder's logits: z (batch, latent) → (batch, in); sigmoid gives probabilities.</summary>
    public Var DecodeLogits(Tape tape, Var z)
    {
        RequireWidth(z, LatentSize, "latent input");
        return _decoder.Forward(tape, z);
    }

    /// <summary>
    /// The negative ELBO on a batch, with one reparameterized sample per example:
    /// reconstruction (summed over features) + <paramref name="klWeight"/>·KL, each averaged over the batch.
    /// </summary>
    /// <param name="tape">Where to record.</param>
    /// <param name="x">The batch, values in [0, 1]: (batch, in).</param>
    /// <param name="rng">Draws eps.</param>
    /// <param name="klWeight">β; the spec's when null.</param>
    public VaeLoss Loss(Tape tape, Var x, Rng rng, float? klWeight = null) => Loss(tape, x, null, rng, klWeight);

    /// <summary>
    /// The negative ELBO of the observed part of a batch: as <see cref="Loss(Tape, Var, Rng, float?)"/>, but the
    /// encoder reads [x·mask, mask] and the reconstruction term sums over observed features only.
    /// </summary>
    /// <param name="tape">Where to record.</param>
    /// <param name="x">The batch: (batch, in); missing entries may hold anything.</param>
    /// <param name="mask">(batch, in), 1 observed and 0 missing; null when every feature is observed.</param>
    /// <param name="rng">Draws eps.</param>
    /// <param name="klWeight">β; the spec's when null.</param>
    public VaeLoss Loss(Tape tape, Var x, Tensor? mask, Rng rng, float? klWeight = null)
    {
        var (mu, logVar) = Encode(tape, x, mask);
        var eps = tape.NewTensor(mu.Shape); // eps: (batch, latent)
        rng.FillGaussian(eps.Span);
        var z = tape.Reparameterize(mu, logVar, Var.Constant(eps));
        var logits = DecodeLogits(tape, z);
        var output = Spec.Loss == ReconstructionLoss.Mse ? tape.Sigmoid(logits) : logits;
        var reconstruction = (Spec.Loss, mask) switch
        {
            (ReconstructionLoss.Bce, null) => tape.BinaryCrossEntropyWithLogits(logits, x),
            (ReconstructionLoss.Bce, _) => tape.MaskedBinaryCrossEntropyWithLogits(logits, x.Value, mask),
            (_, null) => tape.SquaredError(output, x),
            _ => tape.MaskedSquaredError(output, x.Value, mask),
        };
        var kl = tape.GaussianKl(mu, logVar);
        float weight = klWeight ?? Spec.KlWeight;
        var total = tape.Add(reconstruction, weight == 1f ? kl : tape.Scale(kl, weight));
        return new VaeLoss(total, reconstruction, kl);
    }

    /// <summary>The posterior's parameters for x (batch, in): mu and logVar, each (batch, latent).</summary>
    public (Tensor Mu, Tensor LogVar) Encode(Tensor x) => Encode(x, null);

    /// <summary>The posterior's parameters given the observed part of x: mask (batch, in), 1 observed; null for all.</summary>
    public (Tensor Mu, Tensor LogVar) Encode(Tensor x, Tensor? mask)
    {
        var (mu, logVar) = Encode(InferenceTape(), Var.Constant(x), mask);
        return (mu.Value, logVar.Value);
    }

    /// <summary>Draws z = mu + exp(½·logVar)·eps, one sample per row.</summary>
    public static Tensor Sample(Tensor mu, Tensor logVar, Rng rng)
    {
        var eps = new Tensor(mu.Shape);
        rng.FillGaussian(eps.Span);
        return InferenceTape().Reparameterize(Var.Constant(mu), Var.Constant(logVar), Var.Constant(eps)).Value;
    }

    /// <summary>Decodes z (batch, latent) to the decoder's mean (batch, in): pixel probabilities, or the raw output for a Gaussian loss.</summary>
    public Tensor Decode(Tensor z)
    {
        var tape = InferenceTape();
        var output = DecodeLogits(tape, Var.Constant(z));
        return Spec.Loss == ReconstructionLoss.Gaussian ? output.Value : tape.Sigmoid(output).Value;
    }

    /// <summary>The latent means of x (batch, in): (batch, latent).</summary>
    public Tensor Transform(Tensor x) => Encode(x).Mu;

    /// <summary>Decodes the latent means of x: the model's deterministic reconstruction, (batch, in).</summary>
    public Tensor Reconstruct(Tensor x) => Decode(Transform(x));

    /// <summary>Decodes <paramref name="count"/> draws from the prior N(0, I): (count, in).</summary>
    public Tensor Generate(int count, Rng rng)
    {
        var z = new Tensor(new Shape(count, LatentSize));
        rng.FillGaussian(z.Span);
        return Decode(z);
    }

    /// <summary>Decodes given latent points z (count, latent): the same as <see cref="Decode"/>, named for symmetry.</summary>
    public Tensor Generate(Tensor z) => Decode(z);

    private static Tape InferenceTape() => new(recording: false, pooled: false);

    private static void RequireWidth(Var x, int width, string what)
    {
        if (x.Shape.Rank != 2 || x.Shape.Cols != width)
            throw new ArgumentException($"{what} must be (batch, {width}), not {x.Shape}");
    }
}

using VaeSharp.Autograd;
using VaeSharp.Kernels;
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
    private readonly ObservedPaths? _observedPaths; // conditional models only

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
        if (spec.Conditional) _observedPaths = new ObservedPaths(spec, Parameters, rng);
        Parameters.Seal();
    }

    /// <summary>The architecture.</summary>
    public ModelSpec Spec { get; }

    /// <summary>All weights in one flat allocation, with dotted names.</summary>
    public ParameterSet Parameters { get; }

    /// <summary>
    /// Which halves hold real weights: <see cref="ModelPart.Vae"/> for a built or whole-file model; a model read from a
    /// part file (<see cref="ModelFile.LoadEncoder"/>, <see cref="ModelFile.LoadDecoder"/>) runs only that half.
    /// </summary>
    public ModelPart Part { get; internal init; } = ModelPart.Vae;

    /// <summary>The encoder's layers up to the heads, for the exporters.</summary>
    internal Sequential EncoderBody => _encoderBody;

    /// <summary>The heads that map the body's output to mu and logVar.</summary>
    internal (Dense Mu, Dense LogVar) Heads => (_muHead, _logVarHead);

    /// <summary>The decoder's layers from its input to the logits.</summary>
    internal Sequential DecoderStack => _decoder;

    /// <summary>A conditional decoder's paths over the observed entries; null otherwise.</summary>
    internal ObservedPaths? ObservedPaths => _observedPaths;

    /// <summary>Features per example.</summary>
    public int InputSize => Spec.InputSize;

    /// <summary>Latent dimensions.</summary>
    public int LatentSize => Spec.Latent;

    /// <summary>
    /// Every layer in order with its input and output shape per example and its parameter count, like Keras's
    /// summary(): the encoder body, the mu and logVar heads (each from the body's output), then the decoder.
    /// </summary>
    public IReadOnlyList<LayerSummary> Summary() => Architecture().Rows;

    /// <summary>The layers grouped by where they sit in the graph, as an architecture diagram draws them.</summary>
    public ModelArchitecture Architecture() => ModelArchitecture.Of(this);

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
        RequirePart(ModelPart.Encoder);
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
            ReadOnlySpan<float> observed = mask.Row(row);
            Elementwise.MaskedValues(x.Row(row), observed, target[..features]);
            observed.CopyTo(target[features..]);
        }
        return input;
    }

    /// <summary>Records the decoder's logits: z (batch, latent) → (batch, in); sigmoid gives probabilities.</summary>
    /// <remarks>A <see cref="ModelSpec.Conditional"/> model decodes here with nothing observed.</remarks>
    public Var DecodeLogits(Tape tape, Var z) => DecodeLogits(tape, z, null, null);

    /// <summary>
    /// Records the decoder's logits given z (batch, latent) and, for a <see cref="ModelSpec.Conditional"/> model,
    /// the observed part of x: x and mask (batch, in), mask 1 observed; a null x means nothing is observed.
    /// </summary>
    /// <exception cref="ArgumentException">Observations are given to a model that does not condition on them.</exception>
    public Var DecodeLogits(Tape tape, Var z, Tensor? x, Tensor? mask)
    {
        RequirePart(ModelPart.Decoder);
        RequireWidth(z, LatentSize, "latent input");
        if (!Spec.Conditional)
        {
            if (x is not null) throw new ArgumentException("the decoder reads observations only in a conditional model");
            return _decoder.Forward(tape, z);
        }
        Tensor observed; // [x·mask, mask]: (batch, 2·in)
        if (x is null)
        {
            observed = tape.NewTensor(new Shape(z.Shape.Rows, 2 * InputSize));
            observed.Span.Clear();
        }
        else
        {
            if (x.Shape.Rows != z.Shape.Rows || x.Shape.Cols != InputSize)
                throw new ArgumentException($"the observations must be ({z.Shape.Rows}, {InputSize}), not {x.Shape}");
            observed = MaskedInput(tape, x, mask);
        }
        var observedInput = Var.Constant(observed);
        return tape.Add(_decoder.Forward(tape, tape.Concat(z, observedInput)), _observedPaths!.Forward(tape, observedInput));
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
        if (Spec.Conditional) return ConditionalLoss(tape, x, mask, rng, klWeight ?? Spec.KlWeight);
        var (mu, logVar) = Encode(tape, x, mask);
        var z = tape.Reparameterize(mu, logVar, Var.Constant(Noise(tape, mu.Shape, rng)));
        var reconstruction = Reconstruction(tape, DecodeLogits(tape, z), x, mask);
        return Total(tape, reconstruction, tape.GaussianKl(mu, logVar), klWeight ?? Spec.KlWeight);
    }

    /// <summary>
    /// A conditional model's bound on log p(hidden | visible): each row hides a uniform random share of its observed
    /// entries; the posterior reads all observed entries, the prior and the decoder only the visible ones, and the
    /// reconstruction term scores the hidden ones. KL(posterior ‖ prior) makes the prior a good guess of z from less.
    /// </summary>
    private VaeLoss ConditionalLoss(Tape tape, Var x, Tensor? mask, Rng rng, float klWeight)
    {
        var visible = tape.NewTensor(x.Shape); // what the prior and decoder see: (batch, in)
        var hidden = tape.NewTensor(x.Shape); // observed but hidden, the scored entries: (batch, in)
        HideAtRandom(mask, visible.Span, hidden.Span, x.Shape.Cols, rng);
        var (muQ, logVarQ) = Encode(tape, x, mask);
        var (muP, logVarP) = Encode(tape, x, visible);
        var z = tape.Reparameterize(muQ, logVarQ, Var.Constant(Noise(tape, muQ.Shape, rng)));
        var reconstruction = Reconstruction(tape, DecodeLogits(tape, z, x.Value, visible), x, hidden);
        return Total(tape, reconstruction, tape.GaussianKlBetween(muQ, logVarQ, muP, logVarP), klWeight);
    }

    /// <summary>Splits each row's observed entries into visible and hidden, hiding each with one per-row probability u ~ U(0, 1).</summary>
    private static void HideAtRandom(Tensor? mask, Span<float> visible, Span<float> hidden, int features, Rng rng)
    {
        ReadOnlySpan<float> observedMask = mask is null ? default : mask.Span; // (batch, in) or empty
        // Every row's mask when there is none: ones, on the stack like the draws, not an array per step.
        Span<float> allObserved = mask is not null ? default : features <= 1024 ? stackalloc float[features] : new float[features]; // (in) or empty
        allObserved.Fill(1f);
        // One draw per observed entry, in order, taken in bulk and spent without branches: whether an entry is
        // observed, and whether it is hidden, are coin tosses the branch predictor misses half the time. One spare:
        // an unobserved entry after the last observed one still reads draws[next], and throws the value away.
        Span<double> draws = features <= 1024 ? stackalloc double[features + 1] : new double[features + 1]; // (in + 1)
        for (int start = 0; start < visible.Length; start += features)
        {
            double share = rng.NextDouble();
            ReadOnlySpan<float> rowMask = mask is null ? allObserved : observedMask.Slice(start, features);
            rng.FillUniform(draws[..Elementwise.CountNonzero(rowMask)]);
            var visibleRow = visible.Slice(start, features);
            var hiddenRow = hidden.Slice(start, features);
            int next = 0;
            for (int j = 0; j < features; j++)
            {
                // 0 or 1 as integers, made floats at the store: "!= 0f" and a choice of two float constants are branches.
                int observed = (BitConverter.SingleToInt32Bits(rowMask[j]) & int.MaxValue) != 0 ? 1 : 0;
                int hide = observed & (draws[next] < share ? 1 : 0);
                next += observed;
                visibleRow[j] = observed - hide;
                hiddenRow[j] = hide;
            }
        }
    }

    private static Tensor Noise(Tape tape, Shape shape, Rng rng)
    {
        var eps = tape.NewTensor(shape); // eps: (batch, latent)
        rng.FillGaussian(eps.Span);
        return eps;
    }

    /// <summary>The reconstruction term over the entries <paramref name="mask"/> marks (all when null).</summary>
    private Var Reconstruction(Tape tape, Var logits, Var x, Tensor? mask)
    {
        var output = Spec.Loss == ReconstructionLoss.Mse ? tape.Sigmoid(logits) : logits;
        if (Spec.CategoricalBlocks is { } blocks) return CategoricalHead.Reconstruction(tape, logits, x, mask, blocks);
        return (Spec.Loss, mask) switch
        {
            (ReconstructionLoss.Bce, null) => tape.BinaryCrossEntropyWithLogits(logits, x),
            (ReconstructionLoss.Bce, _) => tape.MaskedBinaryCrossEntropyWithLogits(logits, x.Value, mask),
            (_, null) => tape.SquaredError(output, x),
            _ => tape.MaskedSquaredError(output, x.Value, mask),
        };
    }

    private static VaeLoss Total(Tape tape, Var reconstruction, Var kl, float klWeight) =>
        new(tape.Add(reconstruction, klWeight == 1f ? kl : tape.Scale(kl, klWeight)), reconstruction, kl);

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

    /// <summary>Decodes z (batch, latent) to the decoder's mean (batch, in): pixel probabilities, or for a Gaussian loss the raw output with a softmax over each of <see cref="ModelSpec.CategoricalBlocks"/>.</summary>
    public Tensor Decode(Tensor z) => Decode(z, null, null);

    /// <summary>
    /// Decodes z (batch, latent) given the observed part of x (batch, in) for a <see cref="ModelSpec.Conditional"/>
    /// model: mask 1 observed, null for all; a null x means nothing is observed.
    /// </summary>
    public Tensor Decode(Tensor z, Tensor? x, Tensor? mask)
    {
        var tape = InferenceTape();
        var output = DecodeLogits(tape, Var.Constant(z), x, mask);
        if (Spec.Loss != ReconstructionLoss.Gaussian) return tape.Sigmoid(output).Value;
        if (Spec.CategoricalBlocks is null) return output.Value;
        var probabilities = new Tensor(output.Value.Shape); // (batch, in): a copy, the tape's buffer is pooled
        output.Value.Span.CopyTo(probabilities.Span);
        CategoricalHead.Softmax(probabilities, Spec.CategoricalBlocks);
        return probabilities;
    }

    /// <summary>The latent means of x (batch, in): (batch, latent).</summary>
    public Tensor Transform(Tensor x) => Encode(x).Mu;

    /// <summary>Decodes the latent means of x: the model's deterministic reconstruction, (batch, in).</summary>
    public Tensor Reconstruct(Tensor x) => Decode(Transform(x));

    /// <summary>
    /// Decodes <paramref name="count"/> draws from the prior: N(0, I), or for a <see cref="ModelSpec.Conditional"/>
    /// model its learned prior given nothing observed. (count, in).
    /// </summary>
    public Tensor Generate(int count, Rng rng)
    {
        if (Spec.Conditional)
        {
            var nothing = new Tensor(new Shape(count, InputSize)); // x and mask alike: all zeros
            var (mu, logVar) = Encode(nothing, nothing);
            return Decode(Sample(mu, logVar, rng));
        }
        var z = new Tensor(new Shape(count, LatentSize));
        rng.FillGaussian(z.Span);
        return Decode(z);
    }

    /// <summary>Decodes given latent points z (count, latent): the same as <see cref="Decode(Tensor)"/>, named for symmetry.</summary>
    public Tensor Generate(Tensor z) => Decode(z);

    private static Tape InferenceTape() => new(recording: false, pooled: false);

    private void RequirePart(ModelPart needed)
    {
        if (!ModelFile.Holds(Part, needed))
            throw new ModelPartException($"the model holds only its {ModelFile.Name(Part)}, and this needs its {ModelFile.Name(needed)}");
    }

    private static void RequireWidth(Var x, int width, string what)
    {
        if (x.Shape.Rank != 2 || x.Shape.Cols != width)
            throw new ArgumentException($"{what} must be (batch, {width}), not {x.Shape}");
    }
}

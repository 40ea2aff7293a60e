using VaeSharp.Nn;
using VaeSharp.Tensors;

namespace VaeSharp.Models;

/// <summary>
/// A model's layers grouped by where they sit in the graph, each with its input and output shape per example:
/// what <see cref="VaeModel.Summary"/> lists in order and what an architecture diagram draws.
/// </summary>
/// <param name="EncoderInput">What the encoder reads: x, or [x·mask, mask] for a masked model.</param>
/// <param name="Encoder">The encoder body, up to the heads.</param>
/// <param name="Mu">The head that gives the posterior means.</param>
/// <param name="LogVar">The head that gives the posterior log-variances, from the same input as <paramref name="Mu"/>.</param>
/// <param name="DecoderInput">What the decoder body reads: z, or [z, x·mask, mask] for a conditional model.</param>
/// <param name="Decoder">The decoder body, from its input to the logits.</param>
/// <param name="ObservedPaths">A conditional decoder's further paths over [x·mask, mask] (the linear map, then the
/// local convolutions when there are any), whose logits add to the body's; empty otherwise.</param>
public sealed record ModelArchitecture(
    Shape EncoderInput, IReadOnlyList<LayerSummary> Encoder, LayerSummary Mu, LayerSummary LogVar,
    Shape DecoderInput, IReadOnlyList<LayerSummary> Decoder, IReadOnlyList<IReadOnlyList<LayerSummary>> ObservedPaths)
{
    /// <summary>Every layer in summary order: the encoder body, mu, logVar, the decoder body, then the observed paths.</summary>
    public IReadOnlyList<LayerSummary> Rows => [.. Encoder, Mu, LogVar, .. Decoder, .. ObservedPaths.SelectMany(path => path)];

    internal static ModelArchitecture Of(VaeModel model)
    {
        var spec = model.Spec;
        var encoderInput = new Shape(spec.EncoderInputSize);
        var shape = encoderInput;
        var encoder = Describe("encoder", model.EncoderBody.Layers, ref shape);
        var headInput = shape;
        var (muHead, logVarHead) = model.Heads;
        var mu = Describe("encoder", muHead, ref shape);
        var logVar = Describe("encoder", logVarHead, ref headInput);
        var decoderInput = new Shape(spec.DecoderInputSize);
        shape = decoderInput;
        var decoder = Describe("decoder", model.DecoderStack.Layers, ref shape);
        var paths = new List<IReadOnlyList<LayerSummary>>();
        if (model.ObservedPaths is ObservedPaths observed)
        {
            var (linear, local) = observed.Layers;
            shape = new Shape(2 * spec.InputSize);
            paths.Add([Describe("decoder", linear, ref shape)]);
            shape = observed.LocalShape;
            if (local.Count > 0) paths.Add(Describe("decoder", local, ref shape));
        }
        return new ModelArchitecture(encoderInput, encoder, mu, logVar, decoderInput, decoder, paths);
    }

    private static List<LayerSummary> Describe(string part, IEnumerable<Module> layers, ref Shape shape)
    {
        var rows = new List<LayerSummary>();
        foreach (var layer in layers) rows.Add(Describe(part, layer, ref shape));
        return rows;
    }

    private static LayerSummary Describe(string part, Module layer, ref Shape shape)
    {
        var input = shape;
        shape = layer.OutputShape(shape);
        var parameters = layer.Parameters.ToList();
        string name = parameters.Count > 0 ? parameters[0].Name[..parameters[0].Name.LastIndexOf('.')] : part;
        return new LayerSummary(name, layer.Describe(), input, shape, parameters.Sum(entry => entry.Parameter.Shape.Size), layer is Activation);
    }
}

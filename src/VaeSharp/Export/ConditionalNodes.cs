using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Export;

/// <summary>
/// A conditional (VAEAC) decoder: the body reads [z, x·mask, mask]; a Dense map of [x·mask, mask] and, with local
/// filters, three convolutions over the two-channel image (x·mask, mask) add to its logits, as ObservedPaths does.
/// The graph takes <c>x</c> and <c>mask</c> besides <c>z</c>; all zeros means nothing is observed.
/// </summary>
internal static class ConditionalNodes
{
    public static OnnxFlow Decoder(OnnxGraph graph, VaeModel model, OnnxFlow z)
    {
        var spec = model.Spec;
        var paths = model.ObservedPaths!;
        var observed = ShapeNodes.MaskedInput(graph, graph.Input("x", spec.InputSize), graph.Input("mask", spec.InputSize),
            spec.InputSize, "decoder");
        var bodyInput = graph.Node("Concat", "decoder.latent_and_observed", [z.Tensor, observed.Tensor], [OnnxAttribute.Of("axis", 1L)]);
        var body = LayerNodes.Stack(graph, model.DecoderStack.Layers, new OnnxFlow(bodyInput, new Shape(spec.DecoderInputSize)), "decoder");
        var (linear, local) = paths.Layers;
        var observedLogits = DenseNodes.Dense(graph, linear, observed).Tensor;
        if (local.Count > 0)
        {
            // [x·mask | mask] per row is already the NCHW image with channels (x·mask, mask): a reshape, no transpose.
            var shape = paths.LocalShape;
            var dims = graph.Int64s("decoder.local_image.shape", -1, 2, shape[0], shape[1]);
            var image = new OnnxFlow(graph.Node("Reshape", "decoder.local_image", [observed.Tensor, dims]), shape, ChannelsFirst: true);
            var localLogits = ShapeNodes.Reshape(graph, LayerNodes.Stack(graph, local, image, "decoder.local"), new Shape(spec.InputSize), "decoder.local.flatten");
            observedLogits = graph.Node("Add", "decoder.observed_paths", [observedLogits, localLogits.Tensor]);
        }
        return new(graph.Node("Add", "decoder.logits", [body.Tensor, observedLogits]), new Shape(spec.InputSize));
    }
}

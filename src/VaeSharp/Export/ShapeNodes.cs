using VaeSharp.Tensors;

namespace VaeSharp.Export;

/// <summary>Reshapes, the NHWC ↔ NCHW transposes around convolutions, and the masked input [x·mask, mask].</summary>
internal static class ShapeNodes
{
    /// <summary>
    /// A Reshape to (batch, <paramref name="example"/>) in the engine's order; an NCHW image is first turned back
    /// to NHWC so that the values keep the order the engine gives them.
    /// </summary>
    public static OnnxFlow Reshape(OnnxGraph graph, OnnxFlow x, Shape example, string stem)
    {
        x = ChannelsLast(graph, x, stem);
        var node = graph.Fresh(stem);
        var dims = graph.Int64s(node + ".shape", [-1, .. example.Dims.Select(d => (long)d)]);
        return new(graph.Node("Reshape", node, [x.Tensor, dims]), example);
    }

    /// <summary>An NHWC image as NCHW, the layout ONNX's convolutions read: Transpose (0, 3, 1, 2), unless it already is.</summary>
    public static OnnxFlow ChannelsFirst(OnnxGraph graph, OnnxFlow x, string stem)
    {
        if (x.ChannelsFirst) return x;
        RequireImage(x);
        var node = graph.Fresh(stem + ".to_nchw");
        return x with { Tensor = graph.Node("Transpose", node, [x.Tensor], [OnnxAttribute.Of("perm", 0, 3, 1, 2)]), ChannelsFirst = true };
    }

    /// <summary>An NCHW image back in the engine's NHWC: Transpose (0, 2, 3, 1), unless it is not channels-first.</summary>
    public static OnnxFlow ChannelsLast(OnnxGraph graph, OnnxFlow x, string stem)
    {
        if (!x.ChannelsFirst) return x;
        var node = graph.Fresh(stem + ".to_nhwc");
        return x with { Tensor = graph.Node("Transpose", node, [x.Tensor], [OnnxAttribute.Of("perm", 0, 2, 3, 1)]), ChannelsFirst = false };
    }

    /// <summary>
    /// [x·mask, mask] (batch, 2·in) as VaeModel builds it: a missing entry reads 0 even when x holds NaN there, so
    /// x·mask is taken only where the mask is not 0 (Where, not a bare Mul).
    /// </summary>
    public static OnnxFlow MaskedInput(OnnxGraph graph, string x, string mask, int features, string prefix)
    {
        var zero = graph.Scalar("zero", 0f);
        var missing = graph.Node("Equal", $"{prefix}.mask_is_zero", [mask, zero]);
        var product = graph.Node("Mul", $"{prefix}.x_times_mask", [x, mask]);
        var observed = graph.Node("Where", $"{prefix}.observed_x", [missing, zero, product]);
        return new(graph.Node("Concat", $"{prefix}.masked_input", [observed, mask], [OnnxAttribute.Of("axis", 1L)]), new Shape(2 * features));
    }

    private static void RequireImage(OnnxFlow x)
    {
        if (x.Example.Rank != 3) throw new OnnxExportException($"a convolution needs an image (height, width, channels), not {x.Example}");
    }
}

using VaeSharp.Nn;
using VaeSharp.Tensors;

namespace VaeSharp.Export;

/// <summary>Dense layers as ONNX Gemm: y = x·W + b, with W (in, out) as the engine stores it, so no transpose.</summary>
internal static class DenseNodes
{
    /// <summary>A Gemm named like the layer, with its weight and bias as initializers of the engine's names.</summary>
    public static OnnxFlow Dense(OnnxGraph graph, Dense layer, OnnxFlow x, string? output = null)
    {
        var weight = graph.Initializer(layer.Name + ".weight", [layer.Inputs, layer.Outputs], layer.Weight.Value.Span);
        var bias = graph.Initializer(layer.Name + ".bias", [layer.Outputs], layer.Bias.Value.Span);
        return new(graph.Node("Gemm", layer.Name, [x.Tensor, weight, bias], output: output), new Shape(layer.Outputs));
    }
}

using VaeSharp.Nn;
using VaeSharp.Tensors;

namespace VaeSharp.Export;

/// <summary>A stack of the engine's layers as ONNX nodes, one op family per layer kind.</summary>
internal static class LayerNodes
{
    /// <summary>Emits <paramref name="stack"/>'s layers in order from <paramref name="x"/>; unnamed layers take <paramref name="prefix"/>.</summary>
    /// <exception cref="OnnxExportException">A layer has no ONNX form here.</exception>
    public static OnnxFlow Stack(OnnxGraph graph, IEnumerable<Module> stack, OnnxFlow x, string prefix)
    {
        foreach (var layer in stack)
        {
            x = layer switch
            {
                Dense dense => DenseNodes.Dense(graph, dense, x), // the builder puts a flatten before any dense that follows an image
                Activation activation => ActivationNodes.Activation(graph, activation.Kind, x),
                Conv2D conv => ConvNodes.Conv(graph, conv, x),
                ConvTranspose2D transpose => ConvNodes.ConvTranspose(graph, transpose, x),
                Reshape reshape => ShapeNodes.Reshape(graph, x, reshape.ExampleShape, $"{prefix}.reshape"),
                Flatten => ShapeNodes.Reshape(graph, x, new Shape(x.Example.Size), $"{prefix}.flatten"),
                _ => throw new OnnxExportException($"the layer {layer.Describe()} has no ONNX form here"),
            };
        }
        return x;
    }
}

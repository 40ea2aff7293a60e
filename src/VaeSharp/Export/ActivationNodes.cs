using VaeSharp.Nn;

namespace VaeSharp.Export;

/// <summary>The elementwise nonlinearities and the log-variance clamp, which keep the layout of their input.</summary>
internal static class ActivationNodes
{
    /// <summary>Relu, Softplus, Tanh or Sigmoid, named after the tensor it reads, e.g. <c>encoder.dense1.relu</c>.</summary>
    public static OnnxFlow Activation(OnnxGraph graph, ActivationKind kind, OnnxFlow x, string? output = null)
    {
        string opType = kind switch
        {
            ActivationKind.Relu => "Relu",
            ActivationKind.Softplus => "Softplus",
            ActivationKind.Tanh => "Tanh",
            ActivationKind.Sigmoid => "Sigmoid",
            _ => throw new OnnxExportException($"the activation {kind} has no ONNX form here"),
        };
        var node = graph.Fresh($"{x.Tensor}.{opType.ToLowerInvariant()}");
        return x with { Tensor = graph.Node(opType, node, [x.Tensor], output: output) };
    }

    /// <summary>Clip to [min, max], the opset-11 form with the bounds as scalar inputs.</summary>
    public static OnnxFlow Clip(OnnxGraph graph, OnnxFlow x, float min, float max, string prefix, string? output = null)
    {
        var low = graph.Scalar($"{prefix}.clip_min", min);
        var high = graph.Scalar($"{prefix}.clip_max", max);
        return x with { Tensor = graph.Node("Clip", $"{x.Tensor}.clip", [x.Tensor, low, high], output: output) };
    }
}

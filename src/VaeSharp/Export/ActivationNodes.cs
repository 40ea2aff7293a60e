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

    /// <summary>
    /// The decoder's mean of a model with categorical blocks: each [start, count] block of <paramref name="x"/>
    /// (batch, <paramref name="width"/>) through a softmax over its columns, the columns between blocks as they are.
    /// Slices of the column ranges, a Softmax on each block's, and a Concat in column order.
    /// </summary>
    public static string BlockSoftmax(OnnxGraph graph, string x, int width, int[][] blocks, string prefix, string output)
    {
        var parts = new List<string>();
        int at = 0;
        void Part(int end, bool softmax)
        {
            var node = graph.Fresh($"{prefix}.columns_{at}_{end}");
            var slice = graph.Node("Slice", node, [x, graph.Int64s(node + ".starts", at), graph.Int64s(node + ".ends", end), graph.Int64s(node + ".axes", 1)]);
            parts.Add(softmax ? graph.Node("Softmax", node + ".softmax", [slice], [OnnxAttribute.Of("axis", -1L)]) : slice);
            at = end;
        }
        foreach (var block in blocks) // in column order, not overlapping (ModelSpec checks)
        {
            if (block[0] > at) Part(block[0], softmax: false);
            Part(block[0] + block[1], softmax: true);
        }
        if (width > at) Part(width, softmax: false);
        return graph.Node("Concat", prefix + ".concat", [.. parts], [OnnxAttribute.Of("axis", 1L)], output: output);
    }
}

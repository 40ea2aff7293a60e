using VaeSharp.Tensors;

namespace VaeSharp.Models;

/// <summary>One row of a model summary.</summary>
/// <param name="Name">The layer's parameter prefix (e.g. <c>encoder.dense1</c>), or its part for parameter-free layers.</param>
/// <param name="Description">What the layer is, e.g. <c>Dense(512)</c> or <c>Relu</c>.</param>
/// <param name="InputShape">The input shape of one example.</param>
/// <param name="OutputShape">The output shape of one example.</param>
/// <param name="Parameters">Trainable scalars in the layer.</param>
/// <param name="IsActivation">Whether the layer is an elementwise nonlinearity, which a diagram draws inside the layer before it.</param>
public sealed record LayerSummary(string Name, string Description, Shape InputShape, Shape OutputShape, int Parameters, bool IsActivation)
{
    /// <summary>A per-example shape as Keras prints it, with the batch first: <c>(None, 28, 28, 1)</c>.</summary>
    public static string FormatShape(Shape shape) => "(None, " + string.Join(", ", shape.Dims) + ")";
}

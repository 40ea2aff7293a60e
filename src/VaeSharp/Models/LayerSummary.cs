using VaeSharp.Tensors;

namespace VaeSharp.Models;

/// <summary>One row of a model summary.</summary>
/// <param name="Name">The layer's parameter prefix (e.g. <c>encoder.dense1</c>), or its part for parameter-free layers.</param>
/// <param name="Description">What the layer is, e.g. <c>Dense(512)</c> or <c>Relu</c>.</param>
/// <param name="OutputShape">The output shape of one example.</param>
/// <param name="Parameters">Trainable scalars in the layer.</param>
public sealed record LayerSummary(string Name, string Description, Shape OutputShape, int Parameters);

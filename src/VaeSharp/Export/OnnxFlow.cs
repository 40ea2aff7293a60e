using VaeSharp.Tensors;

namespace VaeSharp.Export;

/// <summary>
/// The tensor a layer's nodes read: its name, the engine's shape of one example (NHWC for an image), and whether the
/// graph holds it channels-first. ONNX's Conv and ConvTranspose read NCHW, the engine NHWC: an image turns NCHW
/// when a convolution needs it and back to NHWC before any reshape, so every flat vector has the engine's order and
/// the Dense weights go in unchanged.
/// </summary>
internal readonly record struct OnnxFlow(string Tensor, Shape Example, bool ChannelsFirst = false);

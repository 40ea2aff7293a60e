namespace VaeSharp.Export;

/// <summary>A model that the ONNX exporter cannot express; the message names what is not supported.</summary>
public sealed class OnnxExportException(string message) : Exception(message);

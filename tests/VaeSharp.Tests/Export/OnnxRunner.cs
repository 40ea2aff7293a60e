using Microsoft.ML.OnnxRuntime;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Export;

/// <summary>Runs an exported ONNX model in ONNX Runtime on (batch, width) float inputs and returns every output.</summary>
internal sealed class OnnxRunner : IDisposable
{
    private readonly InferenceSession _session;

    public OnnxRunner(byte[] model)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _session = new InferenceSession(model, options);
    }

    /// <summary>The graph's input names, in order.</summary>
    public IReadOnlyList<string> InputNames => _session.InputNames;

    /// <summary>The graph's output names, in order.</summary>
    public IReadOnlyList<string> OutputNames => _session.OutputNames;

    /// <summary>The model's metadata_props.</summary>
    public IReadOnlyDictionary<string, string> Metadata => _session.ModelMetadata.CustomMetadataMap;

    /// <summary>Runs the graph; each output comes back as a float array in row-major order.</summary>
    public Dictionary<string, float[]> Run(params (string Name, Tensor Value)[] inputs)
    {
        var values = inputs.Select(input => OrtValue.CreateTensorValueFromMemory(input.Value.ToArray(),
            input.Value.Shape.Dims.Select(d => (long)d).ToArray())).ToList();
        try
        {
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, inputs.Select(input => input.Name).ToArray(), values, _session.OutputNames);
            return _session.OutputNames.Zip(outputs).ToDictionary(pair => pair.First, pair => pair.Second.GetTensorDataAsSpan<float>().ToArray());
        }
        finally
        {
            foreach (var value in values) value.Dispose();
        }
    }

    public void Dispose() => _session.Dispose();
}

using System.Reflection;

namespace VaeSharp.Export;

/// <summary>
/// Builds one ONNX graph, opset 17 in the default domain, float32: inputs and outputs of shape (batch, width) with a
/// symbolic batch dimension, initializers (the weights), and nodes whose single output tensor is named like the node
/// unless given a name. <see cref="ToModel"/> writes the ModelProto with the field numbers of onnx.proto.
/// </summary>
internal sealed class OnnxGraph(string name)
{
    /// <summary>The operator set the nodes are written for.</summary>
    public const int Opset = 17;

    /// <summary>IR version 8 is the one that goes with opset 17.</summary>
    private const int IrVersion = 8;

    /// <summary>The symbolic name of the batch dimension of every input and output.</summary>
    public const string BatchDimension = "batch";

    // TensorProto.DataType values.
    private const int FloatType = 1, Int64Type = 7;

    private readonly List<ProtoMessage> _nodes = [], _initializers = [], _inputs = [], _outputs = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Declares a graph input (batch, width).</summary>
    public string Input(string tensor, int width)
    {
        Claim(tensor);
        _inputs.Add(ValueInfo(tensor, width));
        return tensor;
    }

    /// <summary>Declares <paramref name="tensor"/>, produced by a node, as a graph output (batch, width).</summary>
    public void Output(string tensor, int width) => _outputs.Add(ValueInfo(tensor, width));

    /// <summary>A float32 initializer of the given dims, e.g. a weight.</summary>
    public string Initializer(string tensor, ReadOnlySpan<int> dims, ReadOnlySpan<float> values)
    {
        Claim(tensor);
        var proto = new ProtoMessage();
        foreach (int d in dims) proto.Varint(1, d); // dims
        _initializers.Add(proto.Varint(2, FloatType).String(8, tensor).Floats(9, values)); // data_type, name, raw_data
        return tensor;
    }

    /// <summary>A float32 scalar (rank 0) initializer, added once however often it is asked for.</summary>
    public string Scalar(string tensor, float value)
    {
        if (_names.Contains(tensor)) return tensor;
        return Initializer(tensor, [], [value]);
    }

    /// <summary>A one-dimensional int64 initializer, e.g. the target shape of a Reshape.</summary>
    public string Int64s(string tensor, params long[] values)
    {
        Claim(tensor);
        var proto = new ProtoMessage().Varint(1, values.Length).Varint(2, Int64Type).Varints(7, values); // dims, data_type, int64_data
        _initializers.Add(proto.String(8, tensor)); // name
        return tensor;
    }

    /// <summary>Adds a node of <paramref name="opType"/> named <paramref name="node"/>; returns its output tensor.</summary>
    /// <param name="opType">The operator, e.g. <c>Gemm</c>.</param>
    /// <param name="node">The node's name, unique in the graph; also its output's, unless <paramref name="output"/> is given.</param>
    /// <param name="inputs">The input tensors in the operator's order.</param>
    /// <param name="attributes">The node's attributes.</param>
    /// <param name="output">A name for the output tensor, e.g. a graph output's.</param>
    public string Node(string opType, string node, string[] inputs, OnnxAttribute[]? attributes = null, string? output = null)
    {
        Claim(node);
        output ??= node;
        if (output != node) Claim(output);
        var proto = new ProtoMessage();
        foreach (var input in inputs) proto.String(1, input); // input
        proto.String(2, output).String(3, node).String(4, opType); // output, name, op_type
        foreach (var attribute in attributes ?? []) proto.Message(5, attribute.ToProto()); // attribute
        _nodes.Add(proto);
        return output;
    }

    /// <summary><paramref name="stem"/> if no tensor or node has that name yet, else the stem with the first free suffix _2, _3, ...</summary>
    public string Fresh(string stem)
    {
        if (!_names.Contains(stem)) return stem;
        for (int n = 2; ; n++)
            if (!_names.Contains($"{stem}_{n}")) return $"{stem}_{n}";
    }

    /// <summary>The ModelProto bytes: IR version, producer, opset 17, the graph and the metadata_props entries.</summary>
    public byte[] ToModel(IReadOnlyDictionary<string, string> metadata)
    {
        var graph = new ProtoMessage();
        foreach (var node in _nodes) graph.Message(1, node); // node
        graph.String(2, name); // name
        foreach (var initializer in _initializers) graph.Message(5, initializer); // initializer
        foreach (var input in _inputs) graph.Message(11, input); // input
        foreach (var output in _outputs) graph.Message(12, output); // output

        string version = typeof(OnnxGraph).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        var model = new ProtoMessage()
            .Varint(1, IrVersion) // ir_version
            .String(2, "VaeSharp") // producer_name
            .String(3, version.Split('+')[0]) // producer_version
            .Message(7, graph) // graph
            .Message(8, new ProtoMessage().String(1, "").Varint(2, Opset)); // opset_import: domain, version
        foreach (var (key, value) in metadata) model.Message(14, new ProtoMessage().String(1, key).String(2, value)); // metadata_props
        return model.ToArray();
    }

    private void Claim(string tensor)
    {
        if (!_names.Add(tensor)) throw new InvalidOperationException($"the ONNX graph already has a tensor or node named '{tensor}'");
    }

    /// <summary>ValueInfoProto of a float tensor (batch, width): name, then type.tensor_type with elem_type and shape.</summary>
    private static ProtoMessage ValueInfo(string tensor, int width)
    {
        var shape = new ProtoMessage()
            .Message(1, new ProtoMessage().String(2, BatchDimension)) // dim { dim_param }
            .Message(1, new ProtoMessage().Varint(1, width)); // dim { dim_value }
        var tensorType = new ProtoMessage().Varint(1, FloatType).Message(2, shape); // elem_type, shape
        return new ProtoMessage().String(1, tensor).Message(2, new ProtoMessage().Message(1, tensorType)); // name, type { tensor_type }
    }
}

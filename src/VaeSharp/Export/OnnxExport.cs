using System.Globalization;
using VaeSharp.IO;
using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Export;

/// <summary>
/// Writes a model's encoder, decoder or both as an ONNX model (opset 17, float32, a symbolic batch dimension
/// <c>batch</c>) that ONNX Runtime runs to the same outputs as the engine. The weights keep their dotted names
/// (<c>encoder.dense1.weight</c>; convolution kernels permuted into ONNX's order), and the spec is stored under
/// <c>metadata_props["vaesharp.spec"]</c>, the part under <c>"vaesharp.part"</c>.
/// <list type="bullet">
/// <item>Encoder: <c>x</c> (batch, in), and <c>mask</c> (batch, in; 1 observed) for a masked model → <c>mu</c>, <c>log_var</c> (batch, latent), log_var clamped as the engine clamps it.</item>
/// <item>Decoder: <c>z</c> (batch, latent) → <c>probabilities</c> (batch, in), sigmoid included; <c>mean</c> for a Gaussian loss, with a softmax over each of <see cref="ModelSpec.CategoricalBlocks"/>. A conditional decoder also reads <c>x</c> and <c>mask</c>.</item>
/// <item>Whole model: <c>x</c> → <c>mu</c>, <c>log_var</c> and the decoding of mu.</item>
/// </list>
/// </summary>
public static class OnnxExport
{
    /// <summary>The most bytes of weights an export holds: a protobuf message, the whole file, stays under 2 GiB, with room for the graph.</summary>
    public const long MaxWeightBytes = (1L << 31) - (1L << 24);

    /// <summary>The ONNX model of <paramref name="part"/> of <paramref name="model"/>, as bytes.</summary>
    /// <exception cref="OnnxExportException">The model has something the exporter cannot express, or weights past <see cref="MaxWeightBytes"/>.</exception>
    /// <exception cref="ModelPartException">The model does not hold that part.</exception>
    public static byte[] ToBytes(VaeModel model, ModelPart part)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!ModelFile.Holds(model.Part, part))
            throw new ModelPartException($"the model holds only its {ModelFile.Name(model.Part)}, so it cannot export its {ModelFile.Name(part)}");
        var spec = model.Spec;
        long weightBytes = 4L * ModelFile.Entries(model, part).Sum(entry => (long)entry.Value.Size);
        if (weightBytes > MaxWeightBytes)
            throw new OnnxExportException($"the {PartName(part)}'s weights take {(weightBytes >> 20).ToString("N0", CultureInfo.InvariantCulture)} MiB, and one ONNX file (a protobuf message) holds less than 2 GiB");
        var graph = new OnnxGraph($"{spec.Name}-{PartName(part)}");
        switch (part)
        {
            case ModelPart.Encoder:
                Encoder(graph, model);
                break;
            case ModelPart.Decoder:
                Decoder(graph, model, graph.Input("z", spec.Latent));
                break;
            default:
                if (spec.Conditional)
                    throw new OnnxExportException("a whole conditional model (impute-vaeac) has no single ONNX graph: its decoder reads the " +
                        "observed entries as well as z; export --part encoder and --part decoder instead");
                Decoder(graph, model, Encoder(graph, model));
                break;
        }
        return graph.ToModel(new Dictionary<string, string> { [ModelFile.SpecKey] = spec.ToJson(), [ModelFile.PartKey] = PartName(part) });
    }

    /// <summary>Writes <paramref name="part"/> as ONNX to <paramref name="path"/> atomically; nothing is written when the export fails.</summary>
    /// <exception cref="OnnxExportException">The model has something the exporter cannot express, or weights past <see cref="MaxWeightBytes"/>.</exception>
    /// <exception cref="ModelPartException">The model does not hold that part.</exception>
    public static void Save(VaeModel model, ModelPart part, string path)
    {
        var bytes = ToBytes(model, part); // built in full first, so a model it cannot express leaves no file
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>The encoder as ONNX: x (and mask) → mu, log_var.</summary>
    public static void SaveEncoder(VaeModel model, string path) => Save(model, ModelPart.Encoder, path);

    /// <summary>The decoder as ONNX: z (with x and mask for a conditional model) → probabilities, or mean for a Gaussian loss.</summary>
    public static void SaveDecoder(VaeModel model, string path) => Save(model, ModelPart.Decoder, path);

    private static string PartName(ModelPart part) => part == ModelPart.Vae ? "vae" : ModelFile.Name(part);

    /// <summary>x (and mask) → mu, log_var as graph outputs; returns the mu tensor.</summary>
    private static string Encoder(OnnxGraph graph, VaeModel model)
    {
        var spec = model.Spec;
        var x = graph.Input("x", spec.InputSize);
        var input = spec.Masked
            ? ShapeNodes.MaskedInput(graph, x, graph.Input("mask", spec.InputSize), spec.InputSize, "encoder")
            : new OnnxFlow(x, new Shape(spec.InputSize));
        var hidden = LayerNodes.Stack(graph, model.EncoderBody.Layers, input, "encoder");
        var (muHead, logVarHead) = model.Heads;
        var mu = DenseNodes.Dense(graph, muHead, hidden, output: "mu");
        var logVar = spec.UnclampedLogVar
            ? DenseNodes.Dense(graph, logVarHead, hidden, output: "log_var")
            : ActivationNodes.Clip(graph, DenseNodes.Dense(graph, logVarHead, hidden), VaeModel.LogVarMin, VaeModel.LogVarMax,
                logVarHead.Name, output: "log_var");
        graph.Output(mu.Tensor, spec.Latent);
        graph.Output(logVar.Tensor, spec.Latent);
        return mu.Tensor;
    }

    /// <summary>z → the decoder's mean as the graph output: probabilities, or for a Gaussian loss the mean, each categorical block through its softmax.</summary>
    private static void Decoder(OnnxGraph graph, VaeModel model, string z)
    {
        var spec = model.Spec;
        var latent = new OnnxFlow(z, new Shape(spec.Latent));
        var logits = model.ObservedPaths is null
            ? LayerNodes.Stack(graph, model.DecoderStack.Layers, latent, "decoder")
            : ConditionalNodes.Decoder(graph, model, latent);
        string output = spec.Loss != ReconstructionLoss.Gaussian ? graph.Node("Sigmoid", "decoder.sigmoid", [logits.Tensor], output: "probabilities")
            : spec.CategoricalBlocks is { } blocks ? ActivationNodes.BlockSoftmax(graph, logits.Tensor, spec.InputSize, blocks, "decoder.mean", output: "mean")
            : graph.Node("Identity", "decoder.mean", [logits.Tensor], output: "mean");
        graph.Output(output, spec.InputSize);
    }
}

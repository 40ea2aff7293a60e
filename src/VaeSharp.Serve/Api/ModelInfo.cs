using System.Text.Json;

namespace VaeSharp.Serve.Api;

/// <summary>The fields of <c>GET /api/model</c>: the six, then the layer table, eval.json's metrics and the map's size.</summary>
internal static class ModelInfo
{
    public static void Write(Utf8JsonWriter writer, Explorer explorer, int workers)
    {
        var model = explorer.Model;
        var spec = model.Spec;
        writer.WriteString("name", spec.Name);
        writer.WriteNumber("latent", spec.Latent);
        writer.WriteBoolean("masked", spec.Masked);
        writer.WriteBoolean("conditional", spec.Conditional);
        writer.WriteStartArray("input_shape");
        foreach (int dim in spec.InputShape) writer.WriteNumberValue(dim);
        writer.WriteEndArray();
        writer.WriteNumber("parameters", model.Parameters.Count);
        writer.WriteStartArray("layers");
        foreach (var layer in model.Summary())
        {
            writer.WriteStartObject();
            writer.WriteString("name", layer.Name);
            writer.WriteString("layer", layer.Description);
            writer.WriteString("output", layer.OutputShape.ToString());
            writer.WriteNumber("parameters", layer.Parameters);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WritePropertyName("eval");
        if (explorer.EvalMetrics is { } metrics) metrics.WriteTo(writer);
        else writer.WriteNullValue();
        writer.WriteNumber("points", explorer.Map.Count);
        writer.WriteNumber("workers", workers);
        writer.WriteNumber("max_rows", ApiRoutes.MaxRows);
        writer.WriteNumber("max_samples", ApiRoutes.MaxSamples);
    }
}

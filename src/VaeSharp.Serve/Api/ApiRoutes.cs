using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace VaeSharp.Serve.Api;

/// <summary>
/// The JSON API the page uses, over one <see cref="Explorer"/>. Each handler validates its whole request first,
/// then queues for an inference worker; nothing here takes a path, writes a file or reaches the network.
/// </summary>
internal static class ApiRoutes
{
    /// <summary>Rows one decode, encode or generate request may hold.</summary>
    public const int MaxRows = 1024;

    /// <summary>Imputation draws K per request.</summary>
    public const int MaxSamples = 16;

    /// <summary>|z| beyond this is far outside any prior or posterior and is refused.</summary>
    public const float MaxLatent = 100f;

    /// <summary>Seeds are whole numbers a browser's doubles hold exactly.</summary>
    public const long MaxSeed = (1L << 53) - 1;

    /// <summary>The methods of a read-only route: HEAD gets GET's status and headers, and the server drops the body.</summary>
    public static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    public static void Map(IEndpointRouteBuilder routes, Explorer explorer, InferenceGate gate)
    {
        var model = explorer.Model;
        int features = model.InputSize, latent = model.LatentSize;

        routes.MapMethods("/api/model", GetOrHead, context => JsonReply.OkAsync(context.Response, writer => ModelInfo.Write(writer, explorer, gate.Workers)));

        routes.MapMethods("/api/latent", GetOrHead, context =>
        {
            var map = explorer.Map;
            int count = Math.Min(JsonFields.QueryInteger(context.Request, "max", 1, 1_000_000) ?? map.Count, map.Count);
            return JsonReply.OkAsync(context.Response, writer =>
            {
                JsonReply.Matrix(writer, "points", map.Points.AsSpan(0, 2 * count), 2);
                writer.WriteStartArray("labels");
                if (map.Labels is { } labels) foreach (byte label in labels.AsSpan(0, count)) writer.WriteNumberValue(label);
                writer.WriteEndArray();
                writer.WriteString("projection", map.Projection);
                JsonReply.Vector(writer, "mean", [.. map.Mean]);
                JsonReply.Rows(writer, "components", map.Components);
                JsonReply.Vector(writer, "scales", [.. map.Scales]);
            });
        });

        routes.MapMethods("/api/digit", GetOrHead, context =>
        {
            int available = explorer.Map.Count;
            if (available == 0) throw ApiException.BadRequest("the server was started without digits (index)");
            int index = JsonFields.QueryInteger(context.Request, "index", 0, available - 1) ?? throw ApiException.BadRequest("the parameter is missing (index)");
            var (image, label) = explorer.Digit(index);
            return JsonReply.OkAsync(context.Response, writer =>
            {
                JsonReply.Vector(writer, "image", image);
                writer.WriteNumber("label", label);
            });
        });

        routes.MapPost("/api/decode", async context =>
        {
            using var body = await RequestBody.ReadJsonAsync(context.Request);
            var request = JsonFields.Object(body, "z");
            var (z, rows) = JsonFields.Matrix(JsonFields.Required(request, "z"), "z", latent, MaxRows, -MaxLatent, MaxLatent);
            var images = await gate.RunAsync(() => explorer.Decode(z, rows), context.RequestAborted);
            await JsonReply.OkAsync(context.Response, writer => JsonReply.Matrix(writer, "images", images, features));
        });

        routes.MapPost("/api/encode", async context =>
        {
            using var body = await RequestBody.ReadJsonAsync(context.Request);
            var request = JsonFields.Object(body, "images");
            var (images, rows) = JsonFields.Matrix(JsonFields.Required(request, "images"), "images", features, MaxRows, 0f, 1f);
            var (mu, logVar, points) = await gate.RunAsync(() => explorer.Encode(images, rows), context.RequestAborted);
            await JsonReply.OkAsync(context.Response, writer =>
            {
                JsonReply.Matrix(writer, "mu", mu, latent);
                JsonReply.Matrix(writer, "log_var", logVar, latent);
                JsonReply.Matrix(writer, "map", points, 2);
            });
        });

        routes.MapPost("/api/impute", async context =>
        {
            using var body = await RequestBody.ReadJsonAsync(context.Request);
            var request = JsonFields.Object(body, "image", "mask", "samples", "seed");
            var image = JsonFields.Vector(JsonFields.Required(request, "image"), "image", features, 0f, 1f);
            var mask = Mask(JsonFields.Vector(JsonFields.Required(request, "mask"), "mask", features, 0f, 1f));
            int samples = (int)JsonFields.Integer(JsonFields.Required(request, "samples"), "samples", 1, MaxSamples);
            ulong seed = request.TryGetProperty("seed", out var seedField) ? (ulong)JsonFields.Integer(seedField, "seed", 0, MaxSeed) : 1UL;
            if (!model.Spec.Masked)
                throw ApiException.BadRequest("the model is not masked, so it cannot impute; serve one trained with --preset impute-mlp, impute-vaeac or --masked (model)");
            var imputation = await gate.RunAsync(() => explorer.Impute(image, mask, samples, seed), context.RequestAborted);
            await JsonReply.OkAsync(context.Response, writer =>
            {
                JsonReply.Rows(writer, "draws", imputation.Draws);
                JsonReply.Vector(writer, "std", imputation.StandardDeviation);
            });
        });

        routes.MapPost("/api/generate", async context =>
        {
            using var body = await RequestBody.ReadJsonAsync(context.Request);
            var request = JsonFields.Object(body, "count", "seed");
            int count = (int)JsonFields.Integer(JsonFields.Required(request, "count"), "count", 1, MaxRows);
            ulong seed = (ulong)JsonFields.Integer(JsonFields.Required(request, "seed"), "seed", 0, MaxSeed);
            var images = await gate.RunAsync(() => explorer.Generate(count, seed), context.RequestAborted);
            await JsonReply.OkAsync(context.Response, writer => JsonReply.Matrix(writer, "images", images, features));
        });
    }

    /// <summary>The mask as bytes, each value exactly 0 (missing) or 1 (observed).</summary>
    private static byte[] Mask(float[] values)
    {
        var mask = new byte[values.Length];
        for (int i = 0; i < values.Length; i++)
            mask[i] = values[i] switch
            {
                0f => 0,
                1f => 1,
                _ => throw ApiException.BadRequest($"must be 0 (erased) or 1 (kept) (mask[{i}])"),
            };
        return mask;
    }
}

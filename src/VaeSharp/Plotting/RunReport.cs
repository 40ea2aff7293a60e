using System.Globalization;
using System.Text.Json;
using VaeSharp.Data;
using VaeSharp.Evaluation;
using VaeSharp.Models;
using VaeSharp.Training;

namespace VaeSharp.Plotting;

/// <summary>
/// The HTML report of a run folder: the model summary, eval.json's metrics when eval has run, the training curves
/// from metrics.jsonl, and the figures the verbs draw (latent scatter, manifold, samples, reconstructions), drawn
/// here with the verbs' defaults; for latent 3 also the rotating 3-D scatter of the test latent means.
/// </summary>
public static class RunReport
{
    /// <summary>The file eval writes into the run folder; the report shows whatever keys it holds.</summary>
    public const string EvalFileName = "eval.json";

    /// <summary>Latent means drawn in the report's scatter plots.</summary>
    public const int LatentPoints = 5000;

    /// <summary>Builds the page for the model in <paramref name="runFolder"/>, with figures drawn from <paramref name="test"/>.</summary>
    /// <param name="model">The run's model.</param>
    /// <param name="runFolder">Where metrics.jsonl and eval.json are looked for.</param>
    /// <param name="test">Examples for the latent scatter and the reconstructions.</param>
    /// <param name="seed">Seeds the prior samples.</param>
    public static string Build(VaeModel model, string runFolder, Dataset test, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        var report = new HtmlReport($"VaeSharp report: {Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(runFolder)))}");
        var spec = model.Spec;
        report.AddHeading("Model");
        report.AddParagraph($"{spec.Name}: input {string.Join("x", spec.InputShape)}, hidden [{string.Join(", ", spec.Hidden)}], latent {spec.Latent}, " +
            $"{spec.Activation}, {spec.Loss} reconstruction, KL weight {spec.KlWeight.ToString(CultureInfo.InvariantCulture)}.");
        report.AddTable(ModelTable.Columns, ModelTable.Rows(model));
        report.AddImage(ArchitectureDiagram.ToPng(model), "The architecture: each layer with its input and output shapes per example");

        string evalPath = Path.Combine(runFolder, EvalFileName);
        if (File.Exists(evalPath))
        {
            report.AddHeading("Evaluation");
            var eval = ReadEval(evalPath);
            if (ScoresTheRunsModel(eval, runFolder)) report.AddTable(["metric", "value"], EvalRows(eval));
            else report.AddParagraph($"{EvalFileName} scored an earlier model of this folder (it has trained since); `vae eval --model DIR` scores this one.");
        }

        string metricsPath = Path.Combine(runFolder, RunDirectory.MetricsFileName);
        var history = File.Exists(metricsPath) ? MetricsLog.Read(metricsPath) : [];
        report.AddHeading("Training");
        if (history.Count == 0) report.AddParagraph("No metrics.jsonl: the model was not trained in this folder.");
        else
        {
            report.AddImage(Figures.Curves(history), "Loss per epoch: training and test, total, reconstruction and KL");
            report.AddTable(["epoch", "train loss", "train rec.", "train KL", "test -ELBO", "test rec.", "test KL", "seconds", "samples/s"],
                history.Select(m => (IReadOnlyList<string>)[m.Epoch.ToString(CultureInfo.InvariantCulture), F(m.TrainLoss), F(m.TrainReconstruction), F(m.TrainKl),
                    F(m.TestNegElbo), F(m.TestReconstruction), F(m.TestKl), F(m.TrainSeconds, 1), F(m.TrainSamplesPerSecond, 0)]));
        }

        report.AddHeading("Latent space");
        int points = Math.Min(LatentPoints, test.Count);
        report.AddImage(Figures.Latent(model, test, points), $"Latent means of {points} test images, coloured by digit");
        if (model.LatentSize == 3)
        {
            var (means, labels) = LatentMeans.Encode(model, test, points);
            report.AddScatter3d(means, labels, "The same latent means in 3-D: drag to rotate");
        }

        report.AddHeading("Decoder");
        report.AddImage(Figures.Manifold(model, 20, 3f, gaussian: true, 0, 1, 1), "Manifold: decoded lattice of Gaussian quantiles in z[0] and z[1]");
        report.AddImage(Figures.Generate(model, 100, seed, 2), "100 samples decoded from the prior N(0, I)");
        report.AddImage(Figures.Reconstruct(model, test, 30, 2), "Test images (upper rows) and their reconstructions (lower rows)");
        return report.ToHtml();
    }

    /// <summary>The eval.json field that names the model it scored: the SHA-256 of its model.safetensors, in hex.</summary>
    public const string ModelHashKey = "model_sha256";

    /// <summary>The SHA-256 of the file at <paramref name="path"/>, in lower-case hex.</summary>
    public static string FileHash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    /// <summary>
    /// Whether <paramref name="eval"/> scored the model now in <paramref name="runFolder"/>: its <see cref="ModelHashKey"/>
    /// is that model.safetensors' hash. An eval.json without one (written before the field) is taken at its word.
    /// </summary>
    public static bool ScoresTheRunsModel(JsonElement eval, string runFolder)
    {
        string modelPath = Path.Combine(runFolder, ModelFile.FileName);
        return !eval.TryGetProperty(ModelHashKey, out var hash) || (File.Exists(modelPath) && hash.ValueKind == JsonValueKind.String && hash.GetString() == FileHash(modelPath));
    }

    /// <summary>A run's eval.json, which must hold one JSON object.</summary>
    /// <exception cref="InvalidDataException">The file does not parse, or holds something else; the message names it.</exception>
    public static JsonElement ReadEval(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"eval.json is not a JSON object ({path})");
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"malformed eval.json: {e.Message.Split(". ")[0]} ({path})");
        }
    }

    private static IEnumerable<IReadOnlyList<string>> EvalRows(JsonElement eval) =>
        [.. eval.EnumerateObject().Where(property => property.Name != ModelHashKey).Select(property => (IReadOnlyList<string>)[property.Name,
            property.Value.ValueKind != JsonValueKind.Number ? property.Value.ToString()
                : property.Value.TryGetInt64(out long whole) ? whole.ToString(CultureInfo.InvariantCulture) : F(property.Value.GetDouble(), 4)])];

    private static string F(double? value, int decimals = 2) =>
        value is double number ? number.ToString("F" + decimals, CultureInfo.InvariantCulture) : "";
}

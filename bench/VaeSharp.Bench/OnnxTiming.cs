using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using VaeSharp.Autograd;
using VaeSharp.Export;
using VaeSharp.Kernels;
using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Bench;

/// <summary>
/// Inference speed, ours against ONNX Runtime on the exported whole-model graph with the same thread count: x → mu,
/// log_var and the decoding of mu, at each batch size, from seeded random weights and inputs (speed does not depend
/// on training). The two alternate round by round; each side's best round counts. Prints one JSON object per line.
/// <c>onnx [--preset P|all] [--threads T] [--seconds S] [--batches 1000,1]</c>.
/// </summary>
internal static class OnnxTiming
{
    private const int Rounds = 3;

    public static int Run(string[] args)
    {
        var options = Parse(args);
        if (options is null) return 2;
        var (presets, threads, seconds, batches) = options.Value;
        Gemm.SetThreads(threads);
        foreach (var preset in presets)
        {
            if (preset.Spec.Conditional)
            {
                Console.WriteLine(JsonSerializer.Serialize(new { preset = preset.Name, skipped = "a conditional model has no whole-model graph" }));
                continue;
            }
            var model = new VaeModel(preset.Spec, new Rng(1));
            using var sessionOptions = new SessionOptions
            {
                IntraOpNumThreads = threads, InterOpNumThreads = 1, ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            using var session = new InferenceSession(OnnxExport.ToBytes(model, ModelPart.Vae), sessionOptions);
            foreach (int batch in batches)
            {
                var x = new Tensor(new Shape(batch, model.InputSize)); // x: (batch, in)
                var rng = new Rng(2);
                for (int i = 0; i < x.Size; i++) x.Span[i] = (float)rng.NextDouble();
                var mask = preset.Spec.Masked ? Ones(x.Shape) : null;
                var ours = new Func<int>(Ours(model, x, mask));
                var theirs = new Func<int>(Theirs(session, x, mask));
                double best = 0, bestTheirs = 0;
                for (int round = 0; round < Rounds; round++)
                {
                    best = Math.Max(best, Rate(ours, seconds / Rounds));
                    bestTheirs = Math.Max(bestTheirs, Rate(theirs, seconds / Rounds));
                }
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    preset = preset.Name, batch, threads, gemm = Gemm.Backend.ToString().ToLowerInvariant(),
                    vaesharp_samples_per_s = Math.Round(best), onnxruntime_samples_per_s = Math.Round(bestTheirs),
                    ratio = Math.Round(best / bestTheirs, 3),
                }));
            }
        }
        return 0;
    }

    /// <summary>
    /// Our encode and decode of the means on a non-recording pooled tape with fixed weights (which packs each dense
    /// layer's weights once, as the ONNX Runtime session did when it was made), reset after each batch; returns the rows done.
    /// </summary>
    private static Func<int> Ours(VaeModel model, Tensor x, Tensor? mask)
    {
        var tape = new Tape(recording: false, fixedWeights: true);
        return () =>
        {
            var (mu, _) = model.Encode(tape, Var.Constant(x), mask);
            tape.Sigmoid(model.DecodeLogits(tape, mu));
            tape.Reset();
            return x.Shape.Rows;
        };
    }

    /// <summary>ONNX Runtime's session.Run on the same inputs, held as OrtValues once; its outputs are allocated per call.</summary>
    private static Func<int> Theirs(InferenceSession session, Tensor x, Tensor? mask)
    {
        int batch = x.Shape.Rows;
        long[] inputShape = [batch, x.Shape.Cols];
        var inputs = new List<OrtValue> { OrtValue.CreateTensorValueFromMemory(x.ToArray(), inputShape) };
        if (mask is not null) inputs.Add(OrtValue.CreateTensorValueFromMemory(mask.ToArray(), inputShape));
        var names = session.InputNames.ToArray();
        var runOptions = new RunOptions();
        return () =>
        {
            using var outputs = session.Run(runOptions, names, inputs, session.OutputNames);
            return batch;
        };
    }

    /// <summary>Rows per second over about <paramref name="seconds"/> of repeats, after one untimed call.</summary>
    private static double Rate(Func<int> step, double seconds)
    {
        step();
        long rows = 0;
        var clock = Stopwatch.StartNew();
        do rows += step();
        while (clock.Elapsed.TotalSeconds < seconds);
        return rows / clock.Elapsed.TotalSeconds;
    }

    private static Tensor Ones(Shape shape)
    {
        var ones = new Tensor(shape);
        ones.Span.Fill(1f);
        return ones;
    }

    private static (IReadOnlyList<Preset> Presets, int Threads, double Seconds, int[] Batches)? Parse(string[] args)
    {
        IReadOnlyList<Preset> presets = [Preset.KerasMlp, Preset.Conv];
        int threads = 2;
        double seconds = 6;
        int[] batches = [1000, 1];
        for (int i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length) return Fail($"{args[i]} needs a value");
            string value = args[i + 1];
            switch (args[i])
            {
                case "--preset" when value == "all":
                    presets = Preset.All;
                    break;
                case "--preset" when Preset.Find(value) is Preset preset:
                    presets = [preset];
                    break;
                case "--threads" when int.TryParse(value, out int t) && t >= 1:
                    threads = t;
                    break;
                case "--seconds" when double.TryParse(value, CultureInfo.InvariantCulture, out double s) && s > 0:
                    seconds = s;
                    break;
                case "--batches" when value.Split(',').All(b => int.TryParse(b, out int n) && n >= 1):
                    batches = [.. value.Split(',').Select(int.Parse)];
                    break;
                default:
                    return Fail($"unknown option or bad value: {args[i]} {value}");
            }
        }
        return (presets, threads, seconds, batches);
    }

    private static (IReadOnlyList<Preset>, int, double, int[])? Fail(string message)
    {
        Console.Error.WriteLine($"onnx: {message}; usage: onnx [--preset P|all] [--threads T] [--seconds S] [--batches 1000,1]");
        return null;
    }
}

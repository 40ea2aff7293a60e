using System.Diagnostics;
using System.Text.Json;
using VaeSharp.Autograd;
using VaeSharp.Kernels;
using VaeSharp.Models;
using VaeSharp.Nn;
using VaeSharp.Tensors;

namespace VaeSharp.Bench;

/// <summary>
/// Where inference time goes, layer by layer: each step of a preset's encoder body, heads and decoder (a layer and the
/// ReLU fused into it, as <see cref="Sequential"/> runs them) timed alone on a non-recording tape, from seeded random
/// weights and inputs. Prints one JSON object per step, with its share of their sum, then the sum and the whole pass
/// timed in one piece.
/// <c>layers [--preset P] [--batch B] [--threads T] [--seconds S] [--step TEXT]</c>; with <c>--step</c>, only the steps
/// whose names contain TEXT are timed (for a profiler), and the whole pass is not.
/// </summary>
internal static class LayerTiming
{
    public static int Run(string[] args)
    {
        var preset = Preset.Conv;
        int batch = 1000, threads = 2;
        double seconds = 0.5;
        string? only = null;
        if (args.Length % 2 != 0) return Usage($"{args[^1]} needs a value");
        for (int i = 0; i < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--preset" when Preset.Find(args[i + 1]) is Preset found: preset = found; break;
                case "--batch" when int.TryParse(args[i + 1], out int b) && b >= 1: batch = b; break;
                case "--threads" when int.TryParse(args[i + 1], out int t) && t >= 1: threads = t; break;
                case "--step": only = args[i + 1]; break;
                case "--seconds" when double.TryParse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture, out double s) && s > 0: seconds = s; break;
                default:
                    return Usage($"unknown option or bad value: {args[i]} {args[i + 1]}");
            }
        }
        if (preset.Spec.Conditional || preset.Spec.Masked)
        {
            Console.Error.WriteLine($"layers: {preset.Name} reads a mask; time an unmasked preset");
            return 2;
        }
        Gemm.SetThreads(threads);
        var model = new VaeModel(preset.Spec, new Rng(1));
        var x = new Tensor(new Shape(batch, model.InputSize)); // x: (batch, in)
        var rng = new Rng(2);
        for (int i = 0; i < x.Size; i++) x.Span[i] = (float)rng.NextDouble();

        var steps = new List<(string Name, Func<Tape, Var, Var> Step)>();
        Steps(model.EncoderBody, "encoder", steps);
        int bodyEnd = steps.Count;
        var (muHead, logVarHead) = model.Heads;
        steps.Add(("mu+log_var", (tape, h) =>
        {
            muHead.Forward(tape, h);
            var logVar = logVarHead.Forward(tape, h);
            return preset.Spec.UnclampedLogVar ? logVar : tape.Clamp(logVar, VaeModel.LogVarMin, VaeModel.LogVarMax);
        }));
        Steps(model.DecoderStack, "decoder", steps);
        steps.Add(("sigmoid", (tape, logits) => tape.Sigmoid(logits)));

        var inputs = new Tape(recording: false, pooled: false);
        var input = Var.Constant(x);
        var results = new List<(string Name, double Milliseconds)>();
        for (int s = 0; s < steps.Count; s++)
        {
            var (name, step) = steps[s];
            if (only is null || name.Contains(only, StringComparison.Ordinal)) results.Add((name, Time(step, input, seconds)));
            // The decoder starts from mu; the heads read the body's output.
            input = s == bodyEnd ? muHead.Forward(inputs, input) : step(inputs, input);
        }
        if (results.Count == 0) return Usage($"no step's name contains \"{only}\"");
        double total = results.Sum(r => r.Milliseconds);
        foreach (var (name, ms) in results)
            Console.WriteLine(JsonSerializer.Serialize(new { preset = preset.Name, batch, threads, step = name, ms = Math.Round(ms, 3), share = Math.Round(ms / total, 3) }));
        Console.WriteLine(JsonSerializer.Serialize(new { preset = preset.Name, batch, threads, step = "total", ms = Math.Round(total, 3), samples_per_s = Math.Round(batch / total * 1000) }));
        if (only is not null) return 0;
        // The steps one after the other, as `VaeSharp.Bench onnx` runs them: each layer now finds its weights and input
        // where the previous ones left the caches.
        double whole = Time((tape, images) =>
        {
            var (mu, _) = model.Encode(tape, images);
            return tape.Sigmoid(model.DecodeLogits(tape, mu));
        }, Var.Constant(x), seconds);
        Console.WriteLine(JsonSerializer.Serialize(new { preset = preset.Name, batch, threads, step = "whole pass", ms = Math.Round(whole, 3), samples_per_s = Math.Round(batch / whole * 1000) }));
        return 0;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"layers: {message}; usage: layers [--preset P] [--batch B] [--threads T] [--seconds S] [--step TEXT]");
        return 2;
    }

    // The steps of a stack as Sequential.Forward takes them: a convolution or dense layer swallows a ReLU after it.
    private static void Steps(Sequential stack, string part, List<(string, Func<Tape, Var, Var>)> steps)
    {
        for (int i = 0; i < stack.Layers.Count; i++)
        {
            var layer = stack.Layers[i];
            bool reluNext = i + 1 < stack.Layers.Count && stack.Layers[i + 1] is Activation { Kind: ActivationKind.Relu };
            string name = $"{part}.{i} {layer.Describe()}";
            if (reluNext && layer is ConvolutionLayer convolution)
            {
                steps.Add((name + " +relu", convolution.ForwardRelu));
                i++;
            }
            else if (reluNext && layer is Dense dense)
            {
                steps.Add((name + " +relu", (tape, x) => tape.Dense(x, dense.Weight, dense.Bias, relu: true)));
                i++;
            }
            else
            {
                steps.Add((name, layer.Forward));
            }
        }
    }

    /// <summary>Milliseconds per call, the best of three rounds of about a third of <paramref name="seconds"/> each.</summary>
    private static double Time(Func<Tape, Var, Var> step, Var input, double seconds)
    {
        var tape = new Tape(recording: false);
        double best = double.MaxValue;
        step(tape, input);
        tape.Reset();
        for (int round = 0; round < 3; round++)
        {
            int calls = 0;
            var clock = Stopwatch.StartNew();
            do
            {
                step(tape, input);
                tape.Reset();
                calls++;
            }
            while (clock.Elapsed.TotalSeconds < seconds / 3);
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds / calls);
        }
        return best;
    }
}

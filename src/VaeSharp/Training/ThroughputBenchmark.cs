using System.Diagnostics;
using VaeSharp.Autograd;
using VaeSharp.Data;
using VaeSharp.Kernels;
using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Training;

/// <summary>What <see cref="ThroughputBenchmark.Run"/> measured.</summary>
/// <param name="Preset">The preset's name.</param>
/// <param name="BatchSize">Training examples per step.</param>
/// <param name="Threads">The GEMM thread budget.</param>
/// <param name="Gemm">The backend: openblas or managed.</param>
/// <param name="Epochs">Training epochs timed.</param>
/// <param name="TrainSamplesPerSecond">Examples per second over the optimizer steps alone.</param>
/// <param name="InferSamplesPerSecond">Examples per second for encode, sample and decode, no tape, in batches of 1000.</param>
/// <param name="PeakRssMegabytes">The process's peak resident set, in MiB.</param>
/// <param name="GemmGflops">Our GEMM's rate at the model's largest dense layer, (batch, in)·(in, out).</param>
/// <param name="GcCollectionsPerEpoch">Garbage collections (all generations) per training epoch.</param>
/// <param name="AllocatedBytesPerStep">Bytes allocated per training step once the buffers are warm.</param>
public sealed record ThroughputResult(string Preset, int BatchSize, int Threads, string Gemm, int Epochs,
    double TrainSamplesPerSecond, double InferSamplesPerSecond, double PeakRssMegabytes, double GemmGflops,
    double GcCollectionsPerEpoch, double AllocatedBytesPerStep);

/// <summary>
/// Training and inference throughput of a preset on MNIST, with our GEMM's rate beside it as the roofline. The one
/// implementation behind <c>vae bench</c> and bench/VaeSharp.Bench.
/// </summary>
public static class ThroughputBenchmark
{
    /// <summary>Inference batch, as the PyTorch peer evaluates.</summary>
    public const int InferenceBatchSize = 1000;

    /// <summary>
    /// Trains a fresh model of <paramref name="preset"/> on <paramref name="train"/> for <paramref name="epochs"/>
    /// epochs, timing the optimizer steps only, then times inference over <paramref name="test"/>.
    /// </summary>
    public static ThroughputResult Run(Preset preset, Dataset train, Dataset test, int epochs, int batchSize)
    {
        var options = TrainingOptions.FromPreset(preset) with { Epochs = epochs, BatchSize = batchSize, Seed = 1 };
        WarmUp(preset, options, train, batchSize);
        GC.Collect(); // the throwaway trainer's buffers are garbage now: the peak resident set should be the timed run's
        var trainer = Trainer.ForNewModel(preset.Spec, options);
        var allocations = new AllocationProbe();
        int collectionsBefore = TotalCollections();
        var history = trainer.Fit(train, validation: null, allocations);
        int collections = TotalCollections() - collectionsBefore;
        double trainSeconds = history.Sum(epoch => epoch.TrainSeconds);

        double inferSeconds = TimeInference(trainer.Model, test);
        return new ThroughputResult(preset.Name, batchSize, Gemm.Threads, Gemm.Backend.ToString().ToLowerInvariant(), epochs,
            (double)train.Count * epochs / trainSeconds, test.Count / inferSeconds,
            Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0), LargestLayerGflops(trainer.Model, batchSize),
            (double)collections / epochs, allocations.BytesPerStep);
    }

    /// <summary>
    /// A few untimed steps on a throwaway trainer, so the timed run starts with tiered-up code, as a long training
    /// run spends nearly all its time: the first steps of a process run unoptimised code and allocate while tiering.
    /// </summary>
    private static void WarmUp(Preset preset, TrainingOptions options, Dataset train, int batchSize)
    {
        var trainer = Trainer.ForNewModel(preset.Spec, options);
        const int Steps = 30;
        int rows = Math.Min(batchSize, train.Count);
        var x = new Tensor(new Shape(rows, train.Features)); // x: (rows, features)
        var indices = new int[rows];
        for (int step = 0; step < Steps; step++)
        {
            for (int i = 0; i < rows; i++) indices[i] = (step * rows + i) % train.Count;
            train.CopyBatch(indices, x.Span);
            trainer.PartialFit(x);
        }
    }

    /// <summary>
    /// Seconds for encode, sample and decode over <paramref name="test"/>, the fastest of three passes after one
    /// untimed batch (so the timed code is tiered up and the pool warm); converting the bytes is not timed.
    /// </summary>
    private static double TimeInference(VaeModel model, Dataset test)
    {
        var tape = new Tape(recording: false);
        var rng = new Rng(3);
        double best = double.PositiveInfinity;
        for (int pass = 0; pass <= 3; pass++)
        {
            long ticks = 0;
            for (int start = 0; start < test.Count; start += InferenceBatchSize)
            {
                int rows = Math.Min(InferenceBatchSize, test.Count - start);
                var x = tape.NewTensor(new Shape(rows, test.Features)); // x: (rows, features)
                test.CopyRange(start, rows, x.Span);
                long started = Stopwatch.GetTimestamp();
                var (mu, logVar) = model.Encode(tape, Var.Constant(x));
                var eps = tape.NewTensor(mu.Shape); // eps: (rows, latent)
                rng.FillGaussian(eps.Span);
                tape.Sigmoid(model.DecodeLogits(tape, tape.Reparameterize(mu, logVar, Var.Constant(eps))));
                ticks += Stopwatch.GetTimestamp() - started;
                tape.Reset();
                if (pass == 0) break;
            }
            if (pass > 0) best = Math.Min(best, (double)ticks / Stopwatch.Frequency);
        }
        return best;
    }

    /// <summary>GFLOP/s of (batch, in)·(in, out) at the dense layer with the most weights.</summary>
    private static double LargestLayerGflops(VaeModel model, int batchSize)
    {
        var largest = model.Parameters.Entries
            .Where(entry => entry.Name.EndsWith(".weight", StringComparison.Ordinal) && entry.Parameter.Shape.Rank == 2)
            .MaxBy(entry => entry.Parameter.Shape.Size).Parameter.Shape;
        int inputs = largest.Rows, outputs = largest.Cols;
        var a = new float[batchSize * inputs]; // a: (batch, in)
        var b = new float[inputs * outputs]; // b: (in, out)
        var c = new float[batchSize * outputs]; // c: (batch, out)
        new Rng(4).FillGaussian(a);
        new Rng(5).FillGaussian(b);
        Gemm.Multiply(false, false, batchSize, outputs, inputs, 1f, a, b, 0f, c);
        long repeats = 0, started = Stopwatch.GetTimestamp();
        double seconds;
        do
        {
            for (int i = 0; i < 20; i++) Gemm.Multiply(false, false, batchSize, outputs, inputs, 1f, a, b, 0f, c);
            repeats += 20;
            seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        } while (seconds < 0.5);
        return 2.0 * batchSize * inputs * outputs * repeats / seconds / 1e9;
    }

    private static int TotalCollections() => GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);

    /// <summary>
    /// Counts this thread's allocations per step over the second half of the first epoch, once the tape's pool is full
    /// and the code tiered up, leaving out the last step: a short last batch fills the pool with its own shapes once.
    /// The trainer reports progress synchronously on its own thread after each step.
    /// </summary>
    private sealed class AllocationProbe : IProgress<TrainingProgress>
    {
        private long _start, _end;
        private int _startStep, _endStep;

        public double BytesPerStep => _endStep > _startStep ? (double)(_end - _start) / (_endStep - _startStep) : 0;

        public void Report(TrainingProgress value)
        {
            if (value.Epoch != 1 || value.Step < value.Steps / 2 || value.Step == value.Steps) return;
            if (_startStep == 0)
            {
                _startStep = value.Step;
                _start = GC.GetAllocatedBytesForCurrentThread();
                return;
            }
            _endStep = value.Step;
            _end = GC.GetAllocatedBytesForCurrentThread();
        }
    }
}

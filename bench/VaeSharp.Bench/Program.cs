using System.Diagnostics;
using System.Text.Json;
using VaeSharp.Data;
using VaeSharp.Kernels;
using VaeSharp.Models;
using VaeSharp.Tensors;
using VaeSharp.Training;

// Throughput of one preset on MNIST: training steps alone (no data loading or evaluation), then inference
// (encode, sample, decode) over the test set, and our GEMM's rate at the model's largest layer. Prints one JSON object.
var arguments = BenchArguments.Parse(args);
if (arguments.Threads is int threads) Gemm.SetThreads(threads);
var preset = Preset.Find(arguments.Preset) ?? throw new ArgumentException($"unknown preset {arguments.Preset}");
var dir = DataDirectory.Resolve(arguments.DataDir);
var train = Mnist.LoadTrain(dir);
var test = Mnist.LoadTest(dir);
if (arguments.Limit is int limit && limit < train.Count) train = train.Take(limit);

var model = new VaeModel(preset.Spec, new Rng(1));
var options = TrainingOptions.FromPreset(preset) with { Epochs = arguments.Epochs, BatchSize = arguments.Batch ?? preset.BatchSize, Seed = 2 };
var history = new Trainer(model, options).Fit(train, validation: null);
double trainSeconds = history.Sum(epoch => epoch.TrainSeconds);

var x = new Tensor(new Shape(test.Count, test.Features)); // x: (10000, 784)
test.CopyBatch(Enumerable.Range(0, test.Count).ToArray(), x.Span);
var rng = new Rng(3);
var inferWatch = Stopwatch.StartNew();
for (int start = 0; start < test.Count; start += 1000)
{
    var batch = new Tensor(new Shape(1000, test.Features), x.Buffer, start * test.Features);
    var (mu, logVar) = model.Encode(batch);
    model.Decode(VaeModel.Sample(mu, logVar, rng));
}
double inferSeconds = inferWatch.Elapsed.TotalSeconds;

int hidden = preset.Spec.Hidden.Max(), batchSize = options.BatchSize, inputs = preset.Spec.InputSize;
var a = new float[batchSize * inputs];
var b = new float[inputs * hidden];
var c = new float[batchSize * hidden];
Gemm.Multiply(false, false, batchSize, hidden, inputs, 1f, a, b, 0f, c);
int repeats = 200;
var gemmWatch = Stopwatch.StartNew();
for (int i = 0; i < repeats; i++) Gemm.Multiply(false, false, batchSize, hidden, inputs, 1f, a, b, 0f, c);
double gemmGflops = 2.0 * batchSize * hidden * inputs * repeats / gemmWatch.Elapsed.TotalSeconds / 1e9;

Console.WriteLine(JsonSerializer.Serialize(new
{
    preset = preset.Name,
    batch = batchSize,
    threads = arguments.Threads ?? Environment.ProcessorCount,
    gemm = Gemm.Backend.ToString().ToLowerInvariant(),
    epochs = arguments.Epochs,
    train_samples_per_s = train.Count * (double)arguments.Epochs / trainSeconds,
    infer_samples_per_s = test.Count / inferSeconds,
    peak_rss_mb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0),
    gemm_gflops = gemmGflops,
}));

internal sealed record BenchArguments(string Preset, int Epochs, int? Batch, int? Limit, int? Threads, string? DataDir)
{
    public static BenchArguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (int i = 0; i + 1 < args.Length; i += 2) values[args[i].TrimStart('-')] = args[i + 1];
        int? Int(string key) => values.TryGetValue(key, out var v) ? int.Parse(v) : null;
        return new(values.GetValueOrDefault("preset", "keras-mlp"), Int("epochs") ?? 1, Int("batch"), Int("limit"), Int("threads"),
            values.GetValueOrDefault("data-dir"));
    }
}

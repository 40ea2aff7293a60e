// Trains a small VAE on MNIST for a few seconds, draws samples from it, saves it and exports its decoder to ONNX, using VaeSharp as a NuGet
// package. Run: dotnet run --project examples/QuickStart [-- --limit N] (N training images, default 10000).
using VaeSharp.Data;
using VaeSharp.Export;
using VaeSharp.Models;
using VaeSharp.Plotting;
using VaeSharp.Tensors;
using VaeSharp.Training;

int limit = args.Length == 2 && args[0] == "--limit" && int.TryParse(args[1], out int n) && n > 0 ? n : 10_000;
string outDir = Directory.CreateDirectory("quickstart-out").FullName;

var dataDir = DataDirectory.Resolve(null);
await new MnistFetcher().FetchAsync(dataDir, new FetchOptions(), progress: null, CancellationToken.None);
var train = Mnist.LoadTrain(dataDir).Take(limit);
var model = new VaeModel(Preset.KerasMlp.Spec, new Rng(1));
var history = model.Fit(train, TrainingOptions.FromPreset(Preset.KerasMlp) with { Epochs = 2 });
var samples = model.Generate(16, new Rng(2));                           // (16, 784) pixel probabilities
using (var png = File.Create(Path.Combine(outDir, "samples.png")))
    ImageGrid.WriteGridPng(png, samples.Span, 16, 4, 4, 28, 28, scale: 2);
ModelFile.Save(model, Path.Combine(outDir, "model.safetensors"));
OnnxExport.SaveDecoder(model, Path.Combine(outDir, "decoder.onnx"));             // z (batch, 2) → pixels (batch, 784)

Console.WriteLine($"trained on {train.Count} images, loss {history[^1].TrainLoss:F2}; wrote {outDir}");

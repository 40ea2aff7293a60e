using VaeSharp.Bench;
using VaeSharp.Cli;

// The training and inference measurements live in the library (VaeSharp.Training.ThroughputBenchmark) behind
// `vae bench`; this project forwards its arguments there, so `dotnet run --project bench/VaeSharp.Bench -- --preset
// keras-mlp --json` and `vae bench --preset keras-mlp --json` are the same run. Two verbs of its own need ONNX
// Runtime, which the library and the tool do not reference: `onnx` times our inference against ONNX Runtime on the
// exported graph, and `onnx-export DIR` writes every preset's graphs for bench/onnx-check.sh. A third, `layers`, times
// a preset's inference layer by layer.
return args switch
{
    ["onnx", .. var rest] => OnnxTiming.Run(rest),
    ["onnx-export", var folder] => OnnxPresetExports.Write(folder),
    ["layers", .. var rest] => LayerTiming.Run(rest),
    _ => VaeCli.Run(["bench", .. args]),
};

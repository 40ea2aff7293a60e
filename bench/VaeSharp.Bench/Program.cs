using VaeSharp.Cli;

// The measurements live in the library (VaeSharp.Training.ThroughputBenchmark) behind `vae bench`; this project
// only forwards its arguments there, so `dotnet run --project bench/VaeSharp.Bench -- --preset keras-mlp --json`
// and `vae bench --preset keras-mlp --json` are the same run.
return VaeCli.Run(["bench", .. args]);

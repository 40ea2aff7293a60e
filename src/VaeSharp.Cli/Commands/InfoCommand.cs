using System.CommandLine;
using VaeSharp.Data;
using VaeSharp.Kernels;

namespace VaeSharp.Cli.Commands;

/// <summary><c>vae info</c>: the version, the GEMM backend in use, the cores and the data folder.</summary>
internal sealed class InfoCommand
{
    private readonly Option<bool> _json = CommonOptions.Json();

    public static Command Create() => new InfoCommand().Build();

    private Command Build()
    {
        var command = new Command("info", "Show the engine's configuration: GEMM backend, threads, data folder") { _json };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var info = new Dictionary<string, object>
            {
                ["version"] = typeof(VaeCli).Assembly.GetName().Version?.ToString(3) ?? "unknown",
                ["gemm"] = Gemm.Backend.ToString().ToLowerInvariant(),
                ["gemm_detail"] = Gemm.BackendDescription,
                ["cores"] = Environment.ProcessorCount,
                ["simd"] = GemmMicroKernels.VectorPath,
                ["data_dir"] = DataDirectory.Resolve(null),
                ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            };
            if (parse.GetValue(_json)) CliJson.WriteLine(info);
            else foreach (var (key, value) in info) Console.WriteLine($"{key,-12} {value}");
            return ExitCodes.Success;
        }));
        return command;
    }
}

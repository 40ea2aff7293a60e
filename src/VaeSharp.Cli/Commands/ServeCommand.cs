using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using VaeSharp.Data;
using VaeSharp.Plotting;
using VaeSharp.Serve;

namespace VaeSharp.Cli.Commands;

/// <summary>
/// <c>vae serve</c>: the model in a browser page, with the MNIST test set's latent means on the map when the data is
/// cached. Loopback unless <c>--host</c> says otherwise; Ctrl-C (or SIGTERM) stops it cleanly with exit code 0.
/// </summary>
internal sealed class ServeCommand
{
    private readonly Option<string> _model = CommonOptions.Model();
    private readonly Option<int> _port = CommonOptions.IntInRange("--port", "TCP port; 0 picks a free one", 0, 65535, defaultValue: ServeOptions.DefaultPort);
    private readonly Option<string> _host = new("--host") { Description = "Address to listen on: an IP address or localhost", DefaultValueFactory = _ => "127.0.0.1" };
    private readonly Option<int> _points = CommonOptions.IntInRange("--points", "Test digits encoded for the latent map", 1, 10_000, defaultValue: 10_000);
    private readonly Option<int> _workers = CommonOptions.IntInRange("--workers", "Requests that run the model at once; the rest queue", 1, 64, defaultValue: 2);
    private readonly Option<string?> _dataDir = CommonOptions.DataDir();

    public static Command Create() => new ServeCommand().Build();

    private Command Build()
    {
        var command = new Command("serve", "Explore the model in the browser: latent map, drawing pad, imputation and samples")
        {
            _model, _port, _host, _points, _workers, _dataDir,
        };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var folder = parse.GetValue(_model)!;
            var model = ModelFolder.Load(folder);
            if (model.InputSize != 28 * 28) throw new UsageException($"vae serve shows 28×28 digits; this model reads {model.InputSize} features ({folder})");
            var options = new ServeOptions(ParseHost(parse.GetValue(_host)!), parse.GetValue(_port), parse.GetValue(_workers));
            var explorer = Explorer.Create(model, LoadDigits(parse.GetValue(_dataDir)), parse.GetValue(_points), ReadEval(folder));
            return Serve(explorer, options);
        }));
        return command;
    }

    private static int Serve(Explorer explorer, ServeOptions options)
    {
        using var app = ExplorerServer.Build(explorer, options);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(app.Lifetime.ApplicationStopping);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            app.StartAsync().GetAwaiter().GetResult();
        }
        catch (IOException e)
        {
            // Kestrel's "Failed to bind to address http://...: address already in use." as one line naming the option.
            throw new IOException($"cannot listen: {e.Message.TrimEnd('.')} (--port {options.Port})", e);
        }
        if (!options.IsLoopback)
            Console.Error.WriteLine($"vae: warning: listening on {options.Host}, reachable from other machines; the server has no authentication");
        Console.WriteLine($"serving {explorer.Model.Spec.Name} (latent {explorer.Model.LatentSize}, {explorer.Map.Count} map points) at {app.Urls.First()}/");
        Console.WriteLine("press Ctrl-C to stop");
        stop.Token.WaitHandle.WaitOne();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5)); // requests still running get this long
        app.StopAsync(grace.Token).GetAwaiter().GetResult();
        Console.Error.WriteLine("vae: stopped");
        return ExitCodes.Success;
    }

    private static IPAddress ParseHost(string host)
    {
        if (host == "localhost") return IPAddress.Loopback;
        return IPAddress.TryParse(host, out var address) ? address : throw new UsageException($"'{host}' is not an IP address or localhost (--host)");
    }

    /// <summary>The MNIST test set from the cache, or null with a note when it is not there: the map is then empty.</summary>
    private static Dataset? LoadDigits(string? dataDir)
    {
        var dir = DataDirectory.Resolve(dataDir);
        try
        {
            return Mnist.LoadTest(dir);
        }
        catch (MissingDataException)
        {
            Console.Error.WriteLine($"vae: note: no MNIST test set in {dir}, so the latent map has no points; `vae data fetch` puts it there");
            return null;
        }
    }

    /// <summary>The run's eval.json for the page's side panel; a malformed one is a note, not a reason to refuse to serve.</summary>
    private static JsonElement? ReadEval(string folder)
    {
        string path = Path.Combine(folder, RunReport.EvalFileName);
        if (!File.Exists(path)) return null;
        try
        {
            var eval = RunReport.ReadEval(path);
            if (RunReport.ScoresTheRunsModel(eval, folder)) return eval;
            Console.Error.WriteLine($"vae: note: {path} scored an earlier model of this folder; the page shows no scores (`vae eval` writes it again)");
            return null;
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine($"vae: note: {e.Message}; the page shows no scores (`vae eval` writes it again)");
            return null;
        }
    }
}

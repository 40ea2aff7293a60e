using System.Globalization;

namespace VaeSharp.ServeLoad;

/// <summary>The command line: <c>--url URL [--seconds 30] [--clients 16] [--warmup 2] [--server-pid PID] [--json]</c>.</summary>
internal sealed record LoadOptions(Uri Url, double Seconds, int Clients, double Warmup, int? ServerPid, bool Json)
{
    public static LoadOptions Parse(string[] args)
    {
        Uri? url = null;
        double seconds = 30, warmup = 2;
        int clients = 16;
        int? pid = null;
        bool json = false;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--url": url = new Uri(Value().TrimEnd('/') + "/"); break;
                case "--seconds": seconds = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--clients": clients = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--server-pid": pid = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--json": json = true; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (url is null) throw new ArgumentException("--url is required (the address `vae serve` printed)");
        if (seconds <= 0 || warmup < 0 || clients < 1) throw new ArgumentException("--seconds must be > 0, --warmup ≥ 0 and --clients ≥ 1");
        return new LoadOptions(url, seconds, clients, warmup, pid, json);
    }
}

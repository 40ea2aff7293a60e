using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using VaeSharp.ServeLoad;

// Load on a running `vae serve`: N clients, each sending decode (one point), encode (one image) and, for a masked
// model, impute (one image, K = 4) requests in turn, as fast as the answers come, for a fixed time. Reports
// requests/s and p50/p99 latency per endpoint, the error count, and the server's RSS before and after (from /proc).
LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine($"serve-load: {e.Message}");
    return 2;
}

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
{
    BaseAddress = options.Url,
    Timeout = TimeSpan.FromSeconds(30),
};
using var model = JsonDocument.Parse(await http.GetStringAsync("api/model"));
int latent = model.RootElement.GetProperty("latent").GetInt32();
bool masked = model.RootElement.GetProperty("masked").GetBoolean();
string modelName = model.RootElement.GetProperty("name").GetString()!;

var rng = new Random(1);
string Floats(int count, double scale) => "[" + string.Join(",", Enumerable.Range(0, count).Select(_ => (rng.NextDouble() * scale).ToString("F3", CultureInfo.InvariantCulture))) + "]";
var bodies = new List<(string Name, string Path, byte[] Body)>
{
    ("decode", "api/decode", Encoding.UTF8.GetBytes($"{{\"z\":[{Floats(latent, 2)}]}}")),
    ("encode", "api/encode", Encoding.UTF8.GetBytes($"{{\"images\":[{Floats(784, 1)}]}}")),
};
if (masked)
{
    string mask = "[" + string.Join(",", Enumerable.Range(0, 784).Select(i => i < 392 ? "1" : "0")) + "]";
    bodies.Add(("impute", "api/impute", Encoding.UTF8.GetBytes($"{{\"image\":{Floats(784, 1)},\"mask\":{mask},\"samples\":4}}")));
}
var stats = bodies.Select(body => new EndpointStats(body.Name)).ToArray();

long? Rss() => options.ServerPid is int pid && File.Exists($"/proc/{pid}/status")
    ? File.ReadLines($"/proc/{pid}/status").Where(line => line.StartsWith("VmRSS:", StringComparison.Ordinal))
        .Select(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024).FirstOrDefault()
    : null;

var clock = Stopwatch.StartNew();
double warmupEnd = options.Warmup, end = options.Warmup + options.Seconds;
long? rssStart = null;
var startMeasured = new TaskCompletionSource();
_ = Task.Run(async () =>
{
    await Task.Delay(TimeSpan.FromSeconds(options.Warmup));
    rssStart = Rss();
    startMeasured.SetResult();
});

async Task Client(int client)
{
    for (int turn = client; clock.Elapsed.TotalSeconds < end; turn++)
    {
        int which = turn % bodies.Count;
        double started = clock.Elapsed.TotalMilliseconds;
        bool ok;
        try
        {
            using var content = new ByteArrayContent(bodies[which].Body);
            content.Headers.ContentType = new("application/json");
            using var response = await http.PostAsync(bodies[which].Path, content);
            await response.Content.ReadAsByteArrayAsync();
            ok = response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            ok = false;
        }
        catch (TaskCanceledException)
        {
            ok = false; // the 30 s client timeout
        }
        double finished = clock.Elapsed.TotalMilliseconds;
        if (started / 1000 < warmupEnd || finished / 1000 > end) continue; // only requests wholly inside the timed window
        if (ok) stats[which].Add(finished - started);
        else stats[which].AddError();
    }
}

await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(client => Task.Run(() => Client(client))));
await startMeasured.Task;
long? rssEnd = Rss();

var rows = stats.Select(s => new
{
    endpoint = s.Name,
    requests = s.Requests,
    requests_per_s = Math.Round(s.Requests / options.Seconds, 1),
    p50_ms = Math.Round(s.Quantile(0.50), 2),
    p99_ms = Math.Round(s.Quantile(0.99), 2),
    errors = s.Errors,
}).ToArray();
var summary = new
{
    url = options.Url.ToString(),
    model = modelName,
    latent,
    clients = options.Clients,
    seconds = options.Seconds,
    total_requests_per_s = Math.Round(rows.Sum(r => r.requests) / options.Seconds, 1),
    errors = rows.Sum(r => r.errors),
    rss_start_mb = rssStart,
    rss_end_mb = rssEnd,
    endpoints = rows,
};
if (options.Json)
{
    Console.WriteLine(JsonSerializer.Serialize(summary));
    return 0;
}
Console.WriteLine($"{modelName} (latent {latent}) at {options.Url}: {options.Clients} clients for {options.Seconds:F0} s after {options.Warmup:F0} s warm-up");
Console.WriteLine($"{"endpoint",-10}{"requests",10}{"req/s",10}{"p50 ms",10}{"p99 ms",10}{"errors",8}");
foreach (var row in rows)
    Console.WriteLine($"{row.endpoint,-10}{row.requests,10}{row.requests_per_s,10:F1}{row.p50_ms,10:F2}{row.p99_ms,10:F2}{row.errors,8}");
Console.WriteLine($"total {summary.total_requests_per_s:F1} req/s, {summary.errors} errors; server RSS {rssStart?.ToString(CultureInfo.InvariantCulture) ?? "?"} MB at the start, {rssEnd?.ToString(CultureInfo.InvariantCulture) ?? "?"} MB at the end");
return 0;

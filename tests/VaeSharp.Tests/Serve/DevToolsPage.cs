using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using VaeSharp.Tests.Plotting;

namespace VaeSharp.Tests.Serve;

/// <summary>
/// One page of headless chromium driven over the DevTools protocol (a WebSocket and JSON commands): evaluate script,
/// move and press the mouse, take screenshots, and collect console errors and uncaught exceptions. The browser gets
/// a fresh profile and no network features, and is killed with its profile on dispose.
/// </summary>
internal sealed partial class DevToolsPage : IAsyncDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private readonly Process _browser;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    private DevToolsPage(Process browser, string profile)
    {
        _browser = browser;
        _profile = profile;
    }

    /// <summary>Console errors, uncaught exceptions and failed loads, as the browser reported them.</summary>
    public IReadOnlyCollection<string> Errors => _errors;

    public static async Task<DevToolsPage> OpenAsync(string url, int width, int height)
    {
        string profile = Directory.CreateTempSubdirectory("vaesharp-devtools-").FullName;
        var start = new ProcessStartInfo(HeadlessChromium.Path) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                     "--disable-component-update", "--disable-sync", "--remote-debugging-port=0", $"--user-data-dir={profile}",
                     $"--window-size={width},{height}", "about:blank"])
            start.ArgumentList.Add(argument);
        var browser = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        var page = new DevToolsPage(browser, profile);
        var endpoint = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        browser.ErrorDataReceived += (_, line) => { if (line.Data is { } text && Listening().Match(text) is { Success: true } match) endpoint.TrySetResult(match.Groups[1].Value); };
        browser.OutputDataReceived += (_, _) => { };
        browser.BeginErrorReadLine();
        browser.BeginOutputReadLine();
        try
        {
            string port = await endpoint.Task.WaitAsync(Limit);
            using var http = new HttpClient();
            using var targets = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"));
            string socketUrl = targets.RootElement.EnumerateArray().First(target => target.GetProperty("type").GetString() == "page")
                .GetProperty("webSocketDebuggerUrl").GetString()!;
            await page._socket.ConnectAsync(new Uri(socketUrl), CancellationToken.None);
            page._receiving = Task.Run(page.ReceiveAsync);
            await page.SendAsync("Runtime.enable");
            await page.SendAsync("Log.enable");
            await page.SendAsync("Page.enable");
            await page.SendAsync("Emulation.setDeviceMetricsOverride", new { width, height, deviceScaleFactor = 1, mobile = false });
            await page.SendAsync("Page.navigate", new { url });
            await page._loaded.Task.WaitAsync(Limit);
            return page;
        }
        catch
        {
            await page.DisposeAsync();
            throw;
        }
    }

    public async Task<JsonElement> SendAsync(string method, object? parameters = null)
    {
        int id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        byte[] message = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } });
        await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        return await reply.Task.WaitAsync(Limit);
    }

    /// <summary>The value of a script expression (promises awaited); a thrown exception fails the test.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (result.TryGetProperty("exceptionDetails", out var exception)) Assert.Fail($"{expression} threw: {exception}");
        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>Waits until <paramref name="condition"/>, a script expression, is true.</summary>
    public async Task WaitForAsync(string condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < Limit)
        {
            if ((await EvaluateAsync($"Boolean({condition})")).ValueKind == JsonValueKind.True) return;
            await Task.Delay(50);
        }
        Assert.Fail($"{what}: still not true after {Limit.TotalSeconds:F0} s ({condition}); page errors: {string.Join(" | ", _errors)}");
    }

    /// <summary>The centre of element <paramref name="id"/> plus an offset in CSS pixels, in page coordinates.</summary>
    public async Task<(double X, double Y, double Width, double Height)> BoxAsync(string id)
    {
        var box = await EvaluateAsync($"(() => {{ const r = document.getElementById('{id}').getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; }})()");
        var values = box.EnumerateArray().Select(value => value.GetDouble()).ToArray();
        return (values[0], values[1], values[2], values[3]);
    }

    /// <summary>A mouse event: type is mouseMoved, mousePressed or mouseReleased; the left button is held when <paramref name="pressed"/>.</summary>
    public Task MouseAsync(string type, double x, double y, bool pressed = false) =>
        SendAsync("Input.dispatchMouseEvent", new { type, x, y, button = pressed || type != "mouseMoved" ? "left" : "none", buttons = pressed ? 1 : 0, clickCount = type == "mouseMoved" ? 0 : 1 });

    /// <summary>Presses at the first point, drags through the rest and releases at the last.</summary>
    public async Task DragAsync(IReadOnlyList<(double X, double Y)> points)
    {
        await MouseAsync("mouseMoved", points[0].X, points[0].Y);
        await MouseAsync("mousePressed", points[0].X, points[0].Y, pressed: true);
        foreach (var (x, y) in points.Skip(1)) await MouseAsync("mouseMoved", x, y, pressed: true);
        await MouseAsync("mouseReleased", points[^1].X, points[^1].Y);
    }

    public async Task ScreenshotAsync(string path)
    {
        var shot = await SendAsync("Page.captureScreenshot", new { format = "png" });
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot.GetProperty("data").GetString()!));
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        while (_socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult part;
            try
            {
                part = await _socket.ReceiveAsync(buffer, CancellationToken.None);
            }
            catch (WebSocketException)
            {
                return; // the browser went away
            }
            if (part.MessageType == WebSocketMessageType.Close) return;
            message.Write(buffer, 0, part.Count);
            if (!part.EndOfMessage) continue;
            using (var document = JsonDocument.Parse(message.ToArray())) Dispatch(document.RootElement);
            message.SetLength(0);
        }
    }

    private void Dispatch(JsonElement message)
    {
        if (message.TryGetProperty("id", out var id) && _pending.TryRemove(id.GetInt32(), out var reply))
        {
            if (message.TryGetProperty("error", out var error)) reply.TrySetException(new InvalidOperationException($"DevTools: {error}"));
            else reply.TrySetResult(message.GetProperty("result").Clone());
            return;
        }
        string method = message.TryGetProperty("method", out var name) ? name.GetString()! : "";
        var parameters = message.TryGetProperty("params", out var p) ? p : default;
        switch (method)
        {
            case "Page.loadEventFired":
                _loaded.TrySetResult();
                break;
            case "Runtime.exceptionThrown":
                _errors.Enqueue("exception: " + parameters.GetProperty("exceptionDetails"));
                break;
            case "Runtime.consoleAPICalled" when parameters.GetProperty("type").GetString() is "error" or "assert":
                _errors.Enqueue("console: " + parameters.GetProperty("args"));
                break;
            case "Log.entryAdded" when parameters.GetProperty("entry").GetProperty("level").GetString() == "error":
                _errors.Enqueue("log: " + parameters.GetProperty("entry").GetProperty("text").GetString());
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try { await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None); }
            catch (WebSocketException) { } // the browser may close first
        }
        if (!_browser.HasExited) _browser.Kill(entireProcessTree: true);
        await _browser.WaitForExitAsync();
        await _receiving;
        _socket.Dispose();
        _browser.Dispose();
        Directory.Delete(_profile, recursive: true);
    }

    [GeneratedRegex(@"DevTools listening on ws://[^:]+:(\d+)/")]
    private static partial Regex Listening();
}

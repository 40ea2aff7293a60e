using System.Diagnostics;
using System.Text;
using VaeSharp.Cli;

namespace VaeSharp.Tests.Cli;

/// <summary>
/// The real <c>vae</c> in a child process (<c>dotnet vae.dll</c>), for what an in-process run cannot show: a SIGKILL,
/// a SIGINT, the exit code the operating system sees. Output is drained as it comes so the child never blocks.
/// </summary>
internal sealed class ChildVae : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new(), _stderr = new();

    private ChildVae(string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        start.ArgumentList.Add(typeof(VaeCli).Assembly.Location);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => { lock (_stdout) _stdout.Append(e.Data).Append('\n'); };
        _process.ErrorDataReceived += (_, e) => { lock (_stderr) _stderr.Append(e.Data).Append('\n'); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static ChildVae Start(params string[] args) => new(args, null);

    public static ChildVae StartWith(IReadOnlyDictionary<string, string> environment, params string[] args) => new(args, environment);

    public bool HasExited => _process.HasExited;

    /// <summary>The child's process id (the <c>dotnet</c> host that runs vae).</summary>
    public int Id => _process.Id;

    public string StdErr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    public string StdOut
    {
        get { lock (_stdout) return _stdout.ToString(); }
    }

    public void Kill() => _process.Kill();

    /// <summary>Waits until stdout contains <paramref name="text"/> or the child exits (at most a minute).</summary>
    public void WaitForStdOut(string text)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!StdOut.Contains(text, StringComparison.Ordinal) && !_process.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(10);
    }

    /// <summary>Waits until stderr contains <paramref name="text"/> or the child exits (at most a minute).</summary>
    public void WaitForStdErr(string text)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!StdErr.Contains(text, StringComparison.Ordinal) && !_process.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(10);
    }

    /// <summary>Sends a signal by name (INT, KILL) with kill(1), as a shell's Ctrl-C or kill would.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, _process.Id.ToString()]);
        kill.WaitForExit();
    }

    /// <summary>Waits for the exit and returns its code; fails the test after <paramref name="seconds"/>.</summary>
    public int WaitForExit(double seconds = 60)
    {
        if (!_process.WaitForExit(TimeSpan.FromSeconds(seconds)))
        {
            _process.Kill();
            Assert.Fail($"vae did not exit within {seconds} s; stderr: {StdErr}");
        }
        _process.WaitForExit(); // flushes the asynchronous readers
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}

using System.Runtime.InteropServices;

namespace VaeSharp.Cli;

/// <summary>
/// Ctrl-C (SIGINT) or SIGTERM during training. The first asks the trainer to stop after the current batch (so the
/// command can save a checkpoint); a second one is left to the runtime's default handling, which ends the process at
/// once. That is safe: every file is written to a temporary name and renamed, so a kill mid-write leaves the last
/// complete version.
/// </summary>
internal sealed class InterruptSignal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;

    public InterruptSignal()
    {
        _registrations = [Register(PosixSignal.SIGINT, ExitCodes.Interrupted, "press Ctrl-C again"), Register(PosixSignal.SIGTERM, ExitCodes.Terminated, "send it again")];
    }

    private PosixSignalRegistration Register(PosixSignal signal, int exitCode, string again) => PosixSignalRegistration.Create(signal, context =>
    {
        if (_stop.IsCancellationRequested) return;
        context.Cancel = true;
        ExitCode = exitCode;
        _stop.Cancel();
        Console.Error.WriteLine($"vae: stopping after this batch to save a checkpoint; {again} to quit at once");
    });

    /// <summary>Fires on the first SIGINT or SIGTERM.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>128 + the signal that stopped training, as shells report a process that signal ends: 130 for SIGINT, 143 for SIGTERM.</summary>
    public int ExitCode { get; private set; } = ExitCodes.Interrupted;

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _stop.Dispose();
    }
}

/// <summary>Training stopped on SIGINT or SIGTERM after saving a checkpoint; <paramref name="ExitCode"/> is 130 or 143.</summary>
internal sealed class InterruptedException(string message, int exitCode) : Exception(message)
{
    /// <summary>128 + the signal.</summary>
    public int ExitCode { get; } = exitCode;
}

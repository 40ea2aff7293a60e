using System.Runtime.InteropServices;

namespace VaeSharp.Cli;

/// <summary>
/// Ctrl-C during training. The first SIGINT asks the trainer to stop after the current batch (so the command can save
/// a checkpoint); a second one is left to the runtime's default handling, which ends the process at once. That is
/// safe: every file is written to a temporary name and renamed, so a kill mid-write leaves the last complete version.
/// </summary>
internal sealed class InterruptSignal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration _registration;

    public InterruptSignal()
    {
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            if (_stop.IsCancellationRequested) return;
            context.Cancel = true;
            _stop.Cancel();
            Console.Error.WriteLine("vae: stopping after this batch to save a checkpoint; press Ctrl-C again to quit at once");
        });
    }

    /// <summary>Fires on the first Ctrl-C.</summary>
    public CancellationToken Token => _stop.Token;

    public void Dispose()
    {
        _registration.Dispose();
        _stop.Dispose();
    }
}

/// <summary>Training stopped on Ctrl-C after saving a checkpoint; exit code 130 (128 + SIGINT, as shells report it).</summary>
internal sealed class InterruptedException(string message) : Exception(message);

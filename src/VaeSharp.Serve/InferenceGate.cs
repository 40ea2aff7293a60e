namespace VaeSharp.Serve;

/// <summary>
/// Bounds how many requests run the model at once: the rest wait their turn here, so a burst of clients queues
/// instead of oversubscribing the cores (each forward pass may itself use every core through the GEMM).
/// </summary>
public sealed class InferenceGate : IDisposable
{
    private readonly SemaphoreSlim _workers;

    /// <summary>Admits at most <paramref name="workers"/> computations at a time.</summary>
    public InferenceGate(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        Workers = workers;
        _workers = new SemaphoreSlim(workers, workers);
    }

    /// <summary>The number of inference workers.</summary>
    public int Workers { get; }

    /// <summary>Waits for a free worker, then runs <paramref name="work"/> on it.</summary>
    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellation)
    {
        await _workers.WaitAsync(cancellation);
        try
        {
            return work();
        }
        finally
        {
            _workers.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _workers.Dispose();
}

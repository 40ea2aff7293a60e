using System.Runtime.ExceptionServices;

namespace VaeSharp.Kernels;

/// <summary>One piece of work split into numbered parts; a struct, so a launch captures it without a closure.</summary>
internal interface IPartBody
{
    /// <summary>Runs part <paramref name="part"/>; parts touch disjoint outputs.</summary>
    void Run(int part);
}

/// <summary>
/// Runs the parts of a job on the thread pool and the calling thread. The caller runs part 0, then every part that no
/// pool thread has started yet, then waits for the rest, so a pool thread that is slow to wake (two cores shared with
/// other processes) costs at most its own part rather than a stall. One small object per extra part is all a launch
/// allocates, where Parallel.For allocated about 1 KB of tasks and closures per GEMM call.
/// </summary>
internal static class ParallelParts
{
    /// <summary>
    /// Runs parts 0 to <paramref name="count"/> − 1 of <paramref name="body"/> and returns when all are done; one part
    /// runs on the calling thread with no allocation.
    /// </summary>
    public static void Run<TBody>(TBody body, int count) where TBody : struct, IPartBody
    {
        if (count == 1)
        {
            body.Run(0);
            return;
        }
        var remaining = new Countdown(count - 1);
        var parts = new Part<TBody>[count - 1];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = new Part<TBody>(body, i + 1, remaining);
            ThreadPool.UnsafeQueueUserWorkItem(parts[i], preferLocal: false);
        }
        // The parts write through pointers the caller has pinned: never return while one may still be running.
        Exception? error = null;
        try
        {
            body.Run(0);
        }
        catch (Exception e)
        {
            error = e;
        }
        foreach (var part in parts) part.TryRun();
        remaining.Wait(error);
    }

    private sealed class Countdown(int count)
    {
        private int _remaining = count;
        private Exception? _error;

        public void Signal(Exception? error)
        {
            if (error is not null) Interlocked.CompareExchange(ref _error, error, null);
            Interlocked.Decrement(ref _remaining);
        }

        /// <summary>
        /// Spins (yielding, never sleeping a whole millisecond) until every part has signalled, then throws the
        /// caller's own <paramref name="error"/> or else the first part's.
        /// </summary>
        public void Wait(Exception? error)
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref _remaining) > 0) spin.SpinOnce(sleep1Threshold: -1);
            if ((error ?? _error) is Exception thrown) ExceptionDispatchInfo.Throw(thrown);
        }
    }

    private sealed class Part<TBody>(TBody body, int index, Countdown remaining) : IThreadPoolWorkItem
        where TBody : struct, IPartBody
    {
        private int _claimed;

        public void Execute() => TryRun();

        /// <summary>Runs the part unless another thread already has.</summary>
        public void TryRun()
        {
            if (Interlocked.Exchange(ref _claimed, 1) != 0) return;
            Exception? error = null;
            try
            {
                body.Run(index);
            }
            catch (Exception e)
            {
                error = e;
            }
            remaining.Signal(error);
        }
    }
}

using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace VaeSharp.Kernels;

/// <summary>One piece of work split into numbered parts; a struct, so a launch captures it without a closure.</summary>
internal interface IPartBody
{
    /// <summary>Runs part <paramref name="part"/>; parts touch disjoint outputs.</summary>
    void Run(int part);
}

/// <summary>
/// Runs the parts of a job on the calling thread and on <see cref="PartWorkers"/>, which claim parts one at a time
/// until none is left; the caller claims too, so a worker that is slow to wake (two cores shared with other
/// processes) costs at most the part it took, and a launch made while another is in flight still finishes on the
/// caller alone. One small object is all a launch allocates.
/// </summary>
internal static class ParallelParts
{
    /// <summary>
    /// Runs parts 0 to <paramref name="count"/> − 1 of <paramref name="body"/> and returns when all are done; with one
    /// part it runs on the calling thread with no allocation.
    /// </summary>
    public static void Run<TBody>(TBody body, int count) where TBody : struct, IPartBody
    {
        if (count == 1)
        {
            body.Run(0);
            return;
        }
        var job = new Job<TBody>(body, count);
        PartWorkers.Offer(job);
        job.Work();
        // The parts write through pointers the caller has pinned: never return while one may still be running.
        job.Wait();
    }

    private sealed class Job<TBody>(TBody body, int count) : PartJob(count) where TBody : struct, IPartBody
    {
        protected override void RunPart(int part) => body.Run(part);
    }
}

/// <summary>A launched job whose parts go to whichever thread claims them first.</summary>
internal abstract class PartJob(int count)
{
    private readonly int _count = count;
    private int _next;
    private int _remaining = count;
    private Exception? _error;

    protected abstract void RunPart(int part);

    /// <summary>Claims and runs parts until none is left; an exception is kept for <see cref="Wait"/>.</summary>
    public void Work()
    {
        int part;
        while ((part = Interlocked.Increment(ref _next) - 1) < _count)
        {
            try
            {
                RunPart(part);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, e, null);
            }
            Interlocked.Decrement(ref _remaining);
        }
    }

    /// <summary>
    /// Spins (yielding, never sleeping a whole millisecond) until every part is done, then rethrows the first exception
    /// a part recorded, whichever thread ran it.
    /// </summary>
    public void Wait()
    {
        var spin = new SpinWait();
        while (Volatile.Read(ref _remaining) > 0) spin.SpinOnce(sleep1Threshold: -1);
        if (_error is Exception thrown) ExceptionDispatchInfo.Throw(thrown);
    }
}

/// <summary>
/// One fewer background thread than the machine has cores, started on first use. After a job, a worker keeps
/// watching for the next one for <see cref="WatchTicks"/> (yielding its core whenever another thread wants it) before
/// it sleeps: the layers of one inference launch products a few microseconds apart, and waking a sleeping thread
/// took longer than a one-row product's half (bench/README.md, "ONNX: the checker and ONNX Runtime's speed").
/// </summary>
internal static class PartWorkers
{
    private static readonly long WatchTicks = Stopwatch.Frequency / 5000; // 200 µs
    private static readonly int Count = Math.Max(1, Environment.ProcessorCount - 1);
    private static readonly object Gate = new();
    private static PartJob? _current;
    private static int _generation;
    private static int _sleepers;
    private static int _started;

    /// <summary>
    /// Publishes <paramref name="job"/> to the workers and wakes the sleeping ones; a worker that finds no part left
    /// goes straight back to watching.
    /// </summary>
    public static void Offer(PartJob job)
    {
        if (Volatile.Read(ref _started) == 0) Start();
        Volatile.Write(ref _current, job);
        Interlocked.Increment(ref _generation);
        if (Volatile.Read(ref _sleepers) == 0) return;
        lock (Gate) Monitor.PulseAll(Gate);
    }

    private static void Start()
    {
        lock (Gate)
        {
            if (_started != 0) return;
            for (int i = 0; i < Count; i++)
                new Thread(Loop) { IsBackground = true, Name = "VaeSharp parts" }.Start();
            Volatile.Write(ref _started, 1);
        }
    }

    private static void Loop()
    {
        int seen = Volatile.Read(ref _generation);
        while (true)
        {
            seen = NextGeneration(seen);
            Volatile.Read(ref _current)?.Work();
        }
    }

    /// <summary>Waits until the generation moves past <paramref name="seen"/>: watching at first, then asleep.</summary>
    private static int NextGeneration(int seen)
    {
        long watchUntil = Stopwatch.GetTimestamp() + WatchTicks;
        var spin = new SpinWait();
        int generation;
        while ((generation = Volatile.Read(ref _generation)) == seen)
        {
            if (Stopwatch.GetTimestamp() > watchUntil)
                return Sleep(seen);
            spin.SpinOnce(sleep1Threshold: -1);
        }
        return generation;
    }

    private static int Sleep(int seen)
    {
        lock (Gate)
        {
            // Interlocked, a full fence: either Offer sees this sleeper or this thread sees Offer's new generation.
            Interlocked.Increment(ref _sleepers);
            int generation;
            while ((generation = Volatile.Read(ref _generation)) == seen) Monitor.Wait(Gate);
            Interlocked.Decrement(ref _sleepers);
            return generation;
        }
    }
}

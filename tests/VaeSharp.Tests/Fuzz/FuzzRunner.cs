using VaeSharp.Tensors;

namespace VaeSharp.Tests.Fuzz;

/// <summary>
/// Feeds a reader mutated copies of a valid file and requires each case to end in a result or one of the reader's
/// documented exceptions, within a time bound. The case count is <see cref="DefaultCases"/> unless the environment
/// variable <c>VAESHARP_FUZZ_CASES</c> names another (e.g. 1000000 for a long local run).
/// </summary>
internal static class FuzzRunner
{
    public const int DefaultCases = 10_000;

    /// <summary>No single case may take longer than this; a reader that loops or reads without bound fails.</summary>
    private static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(5);

    public static int Cases => Environment.GetEnvironmentVariable("VAESHARP_FUZZ_CASES") is string text && int.TryParse(text, out int cases) && cases > 0
        ? cases
        : DefaultCases;

    /// <summary>Runs the cases; returns how many were accepted and how many rejected with an allowed exception.</summary>
    public static (int Accepted, int Rejected) Run(string reader, byte[] valid, ulong seed, string alphabet,
        Action<byte[]> read, params Type[] allowed) =>
        Run(CaseLimit, reader, valid, seed, alphabet, read, allowed);

    /// <summary>As <see cref="Run(string, byte[], ulong, string, Action{byte[]}, Type[])"/>, with its own per-case limit.</summary>
    public static (int Accepted, int Rejected) Run(TimeSpan caseLimit, string reader, byte[] valid, ulong seed,
        string alphabet, Action<byte[]> read, params Type[] allowed)
    {
        read(valid); // the seed file itself must be valid, or every case is a rejection and proves nothing
        var rng = new Rng(seed);
        int accepted = 0, rejected = 0, cases = Cases;
        for (int trial = 0; trial < cases; trial++)
        {
            byte[] mutated = Mutator.Mutate(valid, rng, alphabet);
            // The case runs under a watchdog, so a reader that never returns fails the test instead of hanging it.
            var run = Task.Run(() => read(mutated));
            if (!((IAsyncResult)run).AsyncWaitHandle.WaitOne(caseLimit))
                Assert.Fail($"{reader}, seed {seed}, case {trial}: still running after {caseLimit.TotalSeconds:F1} s\ninput: {Convert.ToBase64String(mutated)}");
            if (run.Exception?.InnerException is not Exception error)
                accepted++;
            else if (allowed.Contains(error.GetType()))
                rejected++;
            else
                Assert.Fail($"{reader}, seed {seed}, case {trial}: {error.GetType().Name} escaped: {error.Message}\ninput: {Convert.ToBase64String(mutated)}\n{error}");
        }
        Report(reader, cases, accepted, rejected);
        return (accepted, rejected);
    }

    /// <summary>Appends the counts to the file <c>VAESHARP_FUZZ_REPORT</c> names, for long local runs.</summary>
    private static void Report(string reader, int cases, int accepted, int rejected)
    {
        if (Environment.GetEnvironmentVariable("VAESHARP_FUZZ_REPORT") is not string path) return;
        File.AppendAllText(path, $"{DateTime.UtcNow:O} {reader}: {cases} cases, {accepted} accepted, {rejected} rejected\n");
    }
}

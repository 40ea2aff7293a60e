using VaeSharp.Cli;

namespace VaeSharp.Tests.Cli;

/// <summary>
/// Every CLI test class joins this collection: the tool writes to the process-wide console, which the runner swaps
/// for buffers, so no other test may run (and write to the console) at the same time.
/// </summary>
[CollectionDefinition("Cli", DisableParallelization = true)]
public sealed class CliCollection : ICollectionFixture<CliFixture>;

/// <summary>What one run of the tool did.</summary>
internal sealed record CliResult(int ExitCode, string StdOut, string StdErr)
{
    /// <summary>The non-empty lines written to stderr.</summary>
    public string[] ErrorLines => StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Runs <see cref="VaeCli.Run"/> in-process with stdout and stderr captured, restoring the console after.</summary>
internal static class CliRunner
{
    public static CliResult Run(params string[] args)
    {
        var (originalOut, originalError) = (Console.Out, Console.Error);
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        int exitCode;
        try
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            exitCode = VaeCli.Run(args);
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }
}

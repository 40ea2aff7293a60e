namespace VaeSharp.Cli;

/// <summary>The tool's exit codes (design §5).</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>Anything but the command line: a bad file, a failed download, a diverged run.</summary>
    public const int Failure = 1;

    /// <summary>A bad option or value.</summary>
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl-C after saving a checkpoint: 128 + SIGINT, the code shells give a process Ctrl-C ends.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM after saving a checkpoint: 128 + SIGTERM.</summary>
    public const int Terminated = 143;
}

/// <summary>A command line that parses but asks for something impossible; exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

namespace VaeSharp.IO;

/// <summary>
/// A safetensors file is malformed or does not fit the model it is loaded into.
/// The message is one line that names the source first, so a command line tool can print it as it is.
/// </summary>
public sealed class SafetensorsFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="sourceName"/>; the message is "source: problem".</summary>
    public SafetensorsFormatException(string sourceName, string problem, Exception? innerException = null)
        : base($"{sourceName}: {problem}", innerException)
    {
        SourceName = sourceName;
        Problem = problem;
    }

    /// <summary>The file path, or the name the caller gave the stream.</summary>
    public string SourceName { get; }

    /// <summary>What is wrong, without the source name.</summary>
    public string Problem { get; }
}

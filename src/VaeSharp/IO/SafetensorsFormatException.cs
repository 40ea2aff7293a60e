namespace VaeSharp.IO;

/// <summary>
/// A safetensors file is malformed or does not fit the model it is loaded into.
/// The message is one line, "problem (source)", the form every error of the tool takes, so it can be printed as it is.
/// </summary>
public sealed class SafetensorsFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="sourceName"/>; the message is "problem (source)".</summary>
    public SafetensorsFormatException(string sourceName, string problem, Exception? innerException = null)
        : base($"{problem} ({sourceName})", innerException)
    {
        SourceName = sourceName;
        Problem = problem;
    }

    /// <summary>The file path, or the name the caller gave the stream.</summary>
    public string SourceName { get; }

    /// <summary>What is wrong, without the source name.</summary>
    public string Problem { get; }
}

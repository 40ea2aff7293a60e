namespace VaeSharp.Data;

/// <summary>
/// A data file is not what it claims to be: a wrong magic number, a truncated or over-long body, a malformed CSV row,
/// a hash that does not match. The message is one line that says what is wrong and ends with the file in parentheses.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the error for <paramref name="path"/>.</summary>
    /// <param name="path">The offending file.</param>
    /// <param name="problem">What is wrong, without the path (it is appended).</param>
    /// <param name="innerException">The lower-level error, if any.</param>
    public DataFormatException(string path, string problem, Exception? innerException = null)
        : base($"{problem} ({path})", innerException)
    {
        FilePath = path;
    }

    /// <summary>The offending file.</summary>
    public string FilePath { get; }
}

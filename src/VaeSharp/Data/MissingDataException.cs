namespace VaeSharp.Data;

/// <summary>
/// A data set's files are not where they were looked for. The message names the folder and the missing file, and
/// says how to get them (<c>vae data fetch</c>, or copying them into <c>--data-dir</c>).
/// </summary>
public sealed class MissingDataException : Exception
{
    /// <summary>Creates the error with a complete one-line message.</summary>
    public MissingDataException(string message)
        : base(message)
    {
    }
}

namespace VaeSharp.Data;

/// <summary>
/// No source could deliver verified data files. The message gives each source's reason on one line and suggests
/// copying the files into the data folder by hand.
/// </summary>
public sealed class FetchFailedException : Exception
{
    /// <summary>Creates the error with a complete one-line message and the last source's error.</summary>
    public FetchFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

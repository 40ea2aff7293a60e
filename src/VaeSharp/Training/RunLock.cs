using System.Globalization;
using System.Text;

namespace VaeSharp.Training;

/// <summary>
/// An exclusive lock on a run folder, held while a process writes into it: an open <c>DIR/.lock</c> with
/// <see cref="FileShare.None"/> (on Linux and macOS .NET takes it with <c>flock</c>), holding the holder's process id.
/// The operating system drops the lock when the holder exits, however it exits, so a killed run never blocks the next.
/// </summary>
public sealed class RunLock : IDisposable
{
    /// <summary>The lock file inside a run folder.</summary>
    public const string FileName = ".lock";

    private readonly FileStream _stream;

    private RunLock(string folder, FileStream stream)
    {
        Folder = folder;
        _stream = stream;
    }

    /// <summary>The locked folder's absolute path.</summary>
    public string Folder { get; }

    /// <summary>Takes the lock on <paramref name="folder"/> (which must exist) at once, or throws.</summary>
    /// <exception cref="RunFolderInUseException">Another process holds the folder's lock.</exception>
    /// <exception cref="IOException">The lock file could not be created (e.g. a read-only folder).</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable.</exception>
    public static RunLock Acquire(string folder)
    {
        string full = Path.GetFullPath(folder);
        string path = Path.Combine(full, FileName);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException && File.Exists(path) && !IsWritableProblem(e))
        {
            throw new RunFolderInUseException(full, ReadHolder(path), e);
        }
        try
        {
            stream.SetLength(0);
            stream.Write(Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
            stream.Flush(flushToDisk: false);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        return new RunLock(full, stream);
    }

    /// <summary>The process id written in a folder's lock file, or null when it cannot be read.</summary>
    public static int? ReadHolder(string lockPath)
    {
        try
        {
            // On Unix, read with open(2) directly: a FileStream would ask for a shared flock and fail against the holder's.
            byte[] bytes = OperatingSystem.IsWindows() ? File.ReadAllBytes(lockPath) : UnixRead(lockPath);
            return int.TryParse(Encoding.ASCII.GetString(bytes).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static byte[] UnixRead(string path)
    {
        int fd = NativeMethods.open(path, 0 /* O_RDONLY */);
        if (fd < 0) throw new IOException($"cannot open ({path})");
        try
        {
            var buffer = new byte[32];
            nint count = NativeMethods.read(fd, buffer, buffer.Length);
            return count > 0 ? buffer[..(int)count] : [];
        }
        finally
        {
            _ = NativeMethods.close(fd);
        }
    }

    private static class NativeMethods
    {
        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true, CharSet = System.Runtime.InteropServices.CharSet.Ansi)]
        public static extern int open(string path, int flags);

        [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
        public static extern nint read(int fd, byte[] buffer, nint count);

        [System.Runtime.InteropServices.DllImport("libc")]
        public static extern int close(int fd);
    }

    private static bool IsWritableProblem(IOException e) => e.HResult == 30 /* EROFS */;

    /// <summary>Releases the lock. The file stays, holding a stale id that no one reads while it is unlocked.</summary>
    public void Dispose() => _stream.Dispose();
}

/// <summary>A run folder's lock is held by another process (see <see cref="RunLock"/>).</summary>
public sealed class RunFolderInUseException : IOException
{
    /// <summary>Describes the folder and, when known, the process holding it.</summary>
    public RunFolderInUseException(string folder, int? holder, Exception? inner = null)
        : base($"the folder is in use (by process {(holder is int pid ? pid.ToString(CultureInfo.InvariantCulture) : "unknown")}) ({folder})", inner)
    {
        Folder = folder;
        Holder = holder;
    }

    /// <summary>The folder's absolute path.</summary>
    public string Folder { get; }

    /// <summary>The holder's process id, when its lock file could be read.</summary>
    public int? Holder { get; }
}

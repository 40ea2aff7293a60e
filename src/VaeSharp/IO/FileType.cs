using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace VaeSharp.IO;

/// <summary>
/// What stat(2) says a path is, where .NET cannot tell: its FileInfo reads a device, a fifo or a socket as a plain
/// file, and an atomic write would rename a new file over it (run as root, <c>--out /dev/null</c> replaced the device).
/// </summary>
internal static class FileType
{
    /// <summary>
    /// Whether <paramref name="path"/>, links followed, exists and is neither a regular file nor a folder. False where
    /// it cannot be told: a missing file, Windows, a C library without stat, or a CPU whose <c>struct stat</c> layout
    /// is not known here.
    /// </summary>
    public static bool IsSpecial(string path)
    {
        // st_mode's offset in struct stat: after st_dev, st_ino and (on x86-64) st_nlink.
        int modeOffset = RuntimeInformation.ProcessArchitecture switch { Architecture.X64 => 24, Architecture.Arm64 => 16, _ => -1 };
        if (!OperatingSystem.IsLinux() || modeOffset < 0) return false;
        var status = new byte[256]; // struct stat: 144 bytes on x86-64, 128 on arm64
        try
        {
            if (Stat(path, status) != 0) return false;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
        uint type = BinaryPrimitives.ReadUInt32LittleEndian(status.AsSpan(modeOffset)) & 0xF000; // S_IFMT
        return type is not (0x8000 or 0x4000); // S_IFREG, S_IFDIR
    }

    /// <summary>stat(2): glibc exports <c>stat</c> from 2.33 on; before, only <c>__xstat</c>, whose version is 1 on x86-64 and 0 on arm64.</summary>
    private static int Stat(string path, byte[] status)
    {
        try
        {
            return NativeMethods.stat(path, status);
        }
        catch (EntryPointNotFoundException)
        {
            return NativeMethods.__xstat(RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 1 : 0, path, status);
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi)]
        public static extern int stat(string path, byte[] status);

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi)]
        public static extern int __xstat(int version, string path, byte[] status);
    }
}

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
    /// it cannot be told: a missing file, Windows, or a CPU whose <c>struct stat</c> layout is not known here.
    /// </summary>
    public static bool IsSpecial(string path)
    {
        // st_mode's offset in glibc's struct stat: after st_dev, st_ino and (on x86-64) st_nlink.
        int modeOffset = RuntimeInformation.ProcessArchitecture switch { Architecture.X64 => 24, Architecture.Arm64 => 16, _ => -1 };
        if (!OperatingSystem.IsLinux() || modeOffset < 0) return false;
        var status = new byte[256]; // struct stat: 144 bytes on x86-64, 128 on arm64
        if (NativeMethods.stat(path, status) != 0) return false;
        uint type = BinaryPrimitives.ReadUInt32LittleEndian(status.AsSpan(modeOffset)) & 0xF000; // S_IFMT
        return type is not (0x8000 or 0x4000); // S_IFREG, S_IFDIR
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi)]
        public static extern int stat(string path, byte[] status);
    }
}

using VaeSharp.IO;
using VaeSharp.Tests.Data;

namespace VaeSharp.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ReplacesTheTargetAndLeavesNoTemporaryFile()
    {
        string path = _dir.File("out.txt");
        AtomicFile.WriteAllText(path, "old");

        AtomicFile.WriteAllText(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void AFailedWriteKeepsTheOldContentAndDeletesTheTemporaryFile()
    {
        string path = _dir.File("out.bin");
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write([9, 9]);
            throw new InvalidOperationException("disk on fire");
        }));

        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void SeveralFilesAreWrittenAllOrNone()
    {
        string first = _dir.File("table.csv"), second = _dir.File("intervals.csv");
        AtomicFile.WriteAllText(first, "old");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.WriteTexts(
            [(first, writer => writer.Write("new")), (second, _ => throw new InvalidOperationException("the second file fails"))]));
        Assert.Equal("old", File.ReadAllText(first));
        Assert.Equal([first], Directory.GetFiles(_dir.Path));

        AtomicFile.WriteTexts([(first, writer => writer.Write("new")), (second, writer => writer.Write("bounds"))]);
        Assert.Equal(["new", "bounds"], new[] { File.ReadAllText(first), File.ReadAllText(second) });
        Assert.Equal(2, Directory.GetFiles(_dir.Path).Length);
    }

    [Fact]
    public void AReplacedFileKeepsItsPermissions()
    {
        if (OperatingSystem.IsWindows()) return;
        string path = _dir.File("private.csv");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        AtomicFile.WriteText(path, writer => writer.Write("new"));

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
    }

    [Fact]
    public void ThePrivateFilesNewContentIsNeverReadableByOthersWhileItIsWritten()
    {
        if (OperatingSystem.IsWindows()) return;
        string path = _dir.File("secret.csv");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        UnixFileMode? whileWriting = null;

        AtomicFile.Write(path, stream => whileWriting = OperatingSystem.IsWindows() ? null : File.GetUnixFileMode(((FileStream)stream).Name));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, whileWriting);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void ADanglingLinkIsReplacedByTheFile()
    {
        if (OperatingSystem.IsWindows()) return;
        string path = _dir.File("dangling.csv");
        File.CreateSymbolicLink(path, _dir.File("nowhere.csv"));

        AtomicFile.WriteAllText(path, "new");

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Null(new FileInfo(path).LinkTarget);
    }
}

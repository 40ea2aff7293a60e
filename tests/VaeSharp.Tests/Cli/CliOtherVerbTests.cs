using System.Buffers.Binary;
using System.Text.Json;
using VaeSharp.Data;
using VaeSharp.Tests.Data;

namespace VaeSharp.Tests.Cli;

/// <summary><c>vae manifold</c>, <c>vae data info|fetch</c> and <c>vae info</c> on their success paths.</summary>
[Collection("Cli")]
public sealed class CliOtherVerbTests(CliFixture fixture)
{
    [Theory]
    [InlineData("5", 140)]
    [InlineData("3", 84)]
    public void PlainManifoldIsGridTimes28PixelsASide(string grid, int side)
    {
        var png = Path.Combine(fixture.NewFolder("manifold"), "m.png");

        var result = CliRunner.Run("manifold", "--model", fixture.TrainedRun, "--grid", grid, "--plain", "--out", png);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(png, result.StdOut.Trim());
        var bytes = File.ReadAllBytes(png);
        Assert.Equal("IHDR"u8.ToArray(), bytes[12..16]);
        Assert.Equal(side, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(side, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    [Fact]
    public void DataInfoCountsBothSetsWithTenBinHistograms()
    {
        var result = CliRunner.Run("data", "info", "--data-dir", fixture.DataDir, "--json");

        Assert.Equal(0, result.ExitCode);
        using var info = JsonDocument.Parse(result.StdOut);
        var sets = info.RootElement.GetProperty("sets").EnumerateArray().ToDictionary(set => set.GetProperty("name").GetString()!);
        Assert.Equal(["test", "train"], sets.Keys.Order());
        foreach (var (name, count) in new[] { ("train", CliFixture.TrainCount), ("test", CliFixture.TestCount) })
        {
            Assert.Equal(count, sets[name].GetProperty("count").GetInt32());
            Assert.Equal([28, 28], sets[name].GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
            var histogram = sets[name].GetProperty("labels").EnumerateArray().Select(bin => bin.GetInt32()).ToArray();
            Assert.Equal(10, histogram.Length);
            Assert.Equal(count, histogram.Sum());
        }
    }

    [Fact]
    public void JsonKeepsPathsAsTheyAreNotEscapedForHtml()
    {
        var dir = fixture.NewFolder("a+b & café");
        fixture.WriteMnist(dir);
        string images = Path.Combine(dir, MnistFiles.TrainImages.Name);

        var result = CliRunner.Run("data", "info", "--idx-images", images, "--idx-labels", Path.Combine(dir, MnistFiles.TrainLabels.Name), "--json");

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("a+b & café", result.StdOut); // not a\u002Bb \u0026 caf\u00E9
        using var info = JsonDocument.Parse(result.StdOut);
        Assert.Equal(images, Assert.Single(info.RootElement.GetProperty("sets").EnumerateArray()).GetProperty("source").GetString());
    }

    [Fact]
    public void DataInfoReadsGzippedIdxFiles()
    {
        var dir = fixture.NewFolder("gz");
        fixture.WriteMnist(dir, gzip: true);

        var result = CliRunner.Run("data", "info", "--idx-images", Path.Combine(dir, MnistFiles.TrainImages.Name + ".gz"),
            "--idx-labels", Path.Combine(dir, MnistFiles.TrainLabels.Name + ".gz"), "--json");

        Assert.Equal(0, result.ExitCode);
        using var info = JsonDocument.Parse(result.StdOut);
        var set = Assert.Single(info.RootElement.GetProperty("sets").EnumerateArray());
        Assert.Equal(CliFixture.TrainCount, set.GetProperty("count").GetInt32());
        Assert.Equal(CliFixture.TrainCount, set.GetProperty("labels").EnumerateArray().Sum(bin => bin.GetInt32()));
    }

    [Fact]
    public void InfoNamesTheGemmBackendAndCores()
    {
        var result = CliRunner.Run("info", "--json");

        Assert.Equal(0, result.ExitCode);
        using var info = JsonDocument.Parse(result.StdOut);
        Assert.Contains(info.RootElement.GetProperty("gemm").GetString(), new[] { "openblas", "managed" });
        Assert.Equal(Environment.ProcessorCount, info.RootElement.GetProperty("cores").GetInt32());
    }

    [Fact]
    public void InfoSaysWhenItIgnoresAnUnknownGemmChoice()
    {
        using var child = ChildVae.StartWith(new Dictionary<string, string> { ["VAESHARP_GEMM"] = "openbals" }, "info", "--json");
        Assert.Equal(0, child.WaitForExit());
        using var info = JsonDocument.Parse(child.StdOut);
        Assert.EndsWith("; VAESHARP_GEMM=openbals is neither openblas nor managed, so it is ignored", info.RootElement.GetProperty("gemm_detail").GetString());
    }

    [Fact]
    public void FetchFromAMirrorThatHasNothingFailsWithOneLine()
    {
        using var mirror = new LocalMirror();
        var dir = fixture.NewFolder("fetch");

        var result = CliRunner.Run("data", "fetch", "--data-dir", dir, "--source", "mirror", "--mirror", mirror.BaseUrl);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("vae: error: ", line);
        Assert.DoesNotContain("   at ", result.StdErr);
        Assert.Equal("", result.StdOut);
        Assert.Empty(Directory.GetFiles(dir));
    }
}

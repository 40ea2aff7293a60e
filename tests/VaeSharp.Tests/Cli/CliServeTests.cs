using System.Text.Json;
using System.Text.RegularExpressions;

namespace VaeSharp.Tests.Cli;

/// <summary><c>vae serve</c> as a real child process: the printed URL answers, Ctrl-C stops it with exit 0; and its usage errors.</summary>
[Collection("Cli")]
public sealed partial class CliServeTests(CliFixture fixture)
{
    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("0.0.0.0", true)]
    public async Task ServeAnswersAtThePrintedUrlUntilCtrlC(string host, bool warns)
    {
        using var child = ChildVae.Start("serve", "--model", fixture.TrainedRun, "--port", "0", "--host", host, "--data-dir", fixture.DataDir);
        child.WaitForStdOut("press Ctrl-C");
        var match = ServingAt().Match(child.StdOut);
        Assert.True(match.Success, $"no URL printed; stdout: {child.StdOut}; stderr: {child.StdErr}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{match.Groups[1].Value}/") };
        using var model = JsonDocument.Parse(await http.GetStringAsync("api/model"));
        Assert.Equal("keras-mlp", model.RootElement.GetProperty("name").GetString());
        Assert.Equal(CliFixture.TestCount, model.RootElement.GetProperty("points").GetInt32());
        Assert.Contains("VaeSharp explorer", await http.GetStringAsync(""));
        Assert.Equal(warns, child.StdErr.Contains("no authentication", StringComparison.Ordinal));

        child.Signal("INT");
        Assert.Equal(0, child.WaitForExit());
        Assert.Contains("vae: stopped", child.StdErr);
    }

    [Fact]
    public void AMalformedEvalJsonIsANoteAndTheModelIsServedAnyway()
    {
        var run = fixture.CopyOfTrainedRun("serve-eval");
        File.WriteAllText(Path.Combine(run, "eval.json"), """{"test_neg_elbo": 1""");
        using var child = ChildVae.Start("serve", "--model", run, "--port", "0", "--data-dir", fixture.DataDir);

        child.WaitForStdOut("press Ctrl-C");

        Assert.Contains("vae: note: malformed eval.json", child.StdErr);
        child.Signal("INT");
        Assert.Equal(0, child.WaitForExit());
    }

    [Theory]
    [InlineData("--host", "example.org", "is not an IP address or localhost (--host)")]
    [InlineData("--port", "70000", "70000 is out of range 0..65535 (--port)")]
    [InlineData("--workers", "0", "0 is out of range 1..64 (--workers)")]
    public void BadOptionsExit2(string option, string value, string message)
    {
        var result = CliRunner.Run("serve", "--model", fixture.TrainedRun, option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith(message, Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void ABusyPortExits1WithOneLine()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var result = CliRunner.Run("serve", "--model", fixture.TrainedRun, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", fixture.DataDir);
        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("vae: error: cannot listen: ", line);
        Assert.EndsWith($"address already in use (--port {port})", line);
    }

    [Fact]
    public void AFolderWithoutAModelExits2()
    {
        var result = CliRunner.Run("serve", "--model", fixture.NewFolder("empty"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("holds no model.safetensors", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void DemoPrintsTheServeCommandForItsModel()
    {
        var folder = Path.Combine(fixture.NewFolder("demo"), "run");
        var result = CliRunner.Run("demo", "--out", folder, "--data-dir", fixture.DataDir, "--epochs", "1");
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains($"explore  vae serve --model {folder} --data-dir {fixture.DataDir}", result.StdOut);
    }

    [GeneratedRegex(@"^serving .* at http://[^ ]+:(\d+)/$", RegexOptions.Multiline)]
    private static partial Regex ServingAt();
}

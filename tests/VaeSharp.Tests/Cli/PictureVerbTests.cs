using VaeSharp.Cli;
using VaeSharp.Tests.Plotting;

namespace VaeSharp.Tests.Cli;

/// <summary>Each picture verb end to end on a tiny synthetic run: exit 0 and a PNG (or page) of the expected size.</summary>
public class PictureVerbTests
{
    private static PngTestDecoder.Image Png(string path) => PngTestDecoder.Decode(File.ReadAllBytes(path));

    [Theory]
    [InlineData(2, 970, 700)]
    [InlineData(3, 1790, 700)]
    [InlineData(5, 970, 700)]
    public void LatentWritesTheScatterIntoTheModelFolder(int latent, int width, int height)
    {
        using var run = new SyntheticRun(latent);
        Assert.Equal(0, VaeCli.Run(["latent", "--model", run.ModelFolder, "--data-dir", run.DataFolder, "--max", "25"]));
        var image = Png(run.File("latent.png"));
        Assert.Equal((width, height, (byte)2), (image.Width, image.Height, image.ColorType));
    }

    [Fact]
    public void LatentLabelsAsTextAndOut()
    {
        using var run = new SyntheticRun(2);
        string path = run.File("digits.png");
        Assert.Equal(0, VaeCli.Run(["latent", "--model", run.ModelFolder, "--data-dir", run.DataFolder, "--labels-as-text", "--out", path]));
        Assert.Equal(970, Png(path).Width);
    }

    [Fact]
    public void GenerateIsANearSquareGridAtTheScale()
    {
        using var run = new SyntheticRun(2);
        Assert.Equal(0, VaeCli.Run(["generate", "--model", run.ModelFolder, "--count", "10", "--scale", "2", "--seed", "4"]));
        var image = Png(run.File("generate.png"));
        // 10 samples: 4 columns, 3 rows of 56-pixel digits.
        Assert.Equal((4 * 56, 3 * 56, (byte)0), (image.Width, image.Height, image.ColorType));
    }

    [Fact]
    public void GenerateIsReproducibleFromTheSeed()
    {
        using var run = new SyntheticRun(2);
        string first = run.File("a.png"), second = run.File("b.png");
        Assert.Equal(0, VaeCli.Run(["generate", "--model", run.ModelFolder, "--seed", "7", "--out", first]));
        Assert.Equal(0, VaeCli.Run(["generate", "--model", run.ModelFolder, "--seed", "7", "--out", second]));
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        // A seed that did nothing would pass the line above too: another seed must draw other samples.
        string other = run.File("c.png");
        Assert.Equal(0, VaeCli.Run(["generate", "--model", run.ModelFolder, "--seed", "8", "--out", other]));
        Assert.NotEqual(Png(first).Pixels, Png(other).Pixels);
    }

    [Fact]
    public void ReconstructShowsBandsOfPairs()
    {
        using var run = new SyntheticRun(2);
        Assert.Equal(0, VaeCli.Run(["reconstruct", "--model", run.ModelFolder, "--data-dir", run.DataFolder, "--count", "12"]));
        var image = Png(run.File("reconstruct.png"));
        // Two bands of 10 columns, each an input row and a reconstruction row, parted by 2 pixels.
        Assert.Equal((280, 4 * 28 + 2), (image.Width, image.Height));
    }

    [Fact]
    public void CurvesDrawsTheMetrics()
    {
        using var run = new SyntheticRun(2);
        Assert.Equal(0, VaeCli.Run(["curves", "--model", run.ModelFolder]));
        var image = Png(run.File("curves.png"));
        Assert.True(image.Width >= 800 && image.Height >= 600);
    }

    [Theory]
    [InlineData(new string[0], 988, 960)]
    [InlineData(new[] { "--spacing", "gaussian", "--grid", "5", "--dims", "2,0", "--scale", "2" }, 0, 0)]
    [InlineData(new[] { "--plain", "--grid", "4" }, 112, 112)]
    public void ManifoldWithAxesOrPlain(string[] options, int width, int height)
    {
        using var run = new SyntheticRun(3);
        Assert.Equal(0, VaeCli.Run(["manifold", "--model", run.ModelFolder, .. options]));
        var image = Png(run.File("manifold.png"));
        if (width > 0) Assert.Equal((width, height), (image.Width, image.Height));
        else Assert.True(image.Width > 5 * 56 && image.Height > 5 * 56);
    }

    [Theory]
    [InlineData("--spacing", "gaussian", "--range", "2")]
    [InlineData("--dims", "0,0")]
    [InlineData("--dims", "0,3")]
    [InlineData("--spacing", "cubic")]
    [InlineData("--scale", "0")]
    public void ManifoldUsageErrorsExitTwo(params string[] options)
    {
        using var run = new SyntheticRun(3);
        Assert.Equal(2, VaeCli.Run(["manifold", "--model", run.ModelFolder, .. options]));
    }

    [Fact]
    public void MissingFoldersAndFilesAreUsageErrors()
    {
        using var run = new SyntheticRun(2);
        File.Delete(run.File("metrics.jsonl"));
        Assert.Equal(2, VaeCli.Run(["curves", "--model", run.ModelFolder]));
        Assert.Equal(2, VaeCli.Run(["generate", "--model", run.File("nowhere")]));
        Assert.Equal(2, VaeCli.Run(["generate", "--model", run.ModelFolder, "--out", run.File("no/such/folder.png")]));
        Assert.Equal(2, VaeCli.Run(["latent", "--model", run.ModelFolder, "--data-dir", run.DataFolder, "--split", "valid"]));
    }

    [Fact]
    public void ReportIsOnePageWithEveryPictureAndTheEvalMetrics()
    {
        using var run = new SyntheticRun(3);
        File.WriteAllText(run.File("eval.json"), """{"test_neg_elbo": 101.25, "iw_samples": 5000, "latent_knn_accuracy": 0.93}""");
        Assert.Equal(0, VaeCli.Run(["report", "--model", run.ModelFolder, "--data-dir", run.DataFolder]));
        string html = File.ReadAllText(run.File("report.html"));
        Assert.Equal(6, html.Split("data:image/png;base64,").Length - 1); // the architecture diagram and five figures
        Assert.Contains("<td>iw_samples</td><td class=\"n\">5000</td>", html);
        Assert.Contains("latent_knn_accuracy", html);
        Assert.Contains("<canvas id=\"scatter3d-0\"", html);
        Assert.DoesNotContain("https://", html);
    }

    [Fact]
    public void ReportLeavesOutTheScoresOfAnEarlierModelOfTheFolder()
    {
        using var run = new SyntheticRun(2);
        string hash = VaeSharp.Plotting.RunReport.FileHash(run.File("model.safetensors"));
        File.WriteAllText(run.File("eval.json"), $$"""{"test_neg_elbo": 101.25, "model_sha256": "{{hash}}"}""");
        Assert.Equal(0, VaeCli.Run(["report", "--model", run.ModelFolder, "--data-dir", run.DataFolder]));
        string current = File.ReadAllText(run.File("report.html"));
        Assert.Contains("test_neg_elbo", current);
        Assert.DoesNotContain("model_sha256", current);

        File.WriteAllText(run.File("eval.json"), """{"test_neg_elbo": 101.25, "model_sha256": "00"}""");
        Assert.Equal(0, VaeCli.Run(["report", "--model", run.ModelFolder, "--data-dir", run.DataFolder]));
        string stale = File.ReadAllText(run.File("report.html"));
        Assert.DoesNotContain("test_neg_elbo", stale);
        Assert.Contains("eval.json scored an earlier model of this folder", stale);
    }

    [SkippableFact]
    public void AReadOnlyRunFolderIsAUsageErrorNamingModelBeforeAnyScoring()
    {
        using var run = new SyntheticRun(2);
        // chmod does not stop root, so the folder is made immutable; without chattr there is nothing to test here.
        Skip.If(OperatingSystem.IsWindows() || !File.Exists("/usr/bin/chattr"), "needs chattr to make a folder read-only for root");
        using (var chattr = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/chattr", ["+i", run.ModelFolder]) { RedirectStandardError = true })!)
        {
            chattr.WaitForExit();
            Skip.If(chattr.ExitCode != 0, "chattr +i needs root and a file system that has the flag");
        }
        try
        {
            foreach (var args in new[] { new[] { "generate", "--model", run.ModelFolder }, ["eval", "--model", run.ModelFolder, "--data-dir", run.DataFolder, "--iw-samples", "2"] })
            {
                var result = CliRunner.Run(args);
                Assert.Equal(2, result.ExitCode);
                Assert.Equal($"vae: error: the output folder is not writable: permission denied in {run.ModelFolder} (--model)", Assert.Single(result.ErrorLines));
            }
        }
        finally
        {
            using var undo = System.Diagnostics.Process.Start("/usr/bin/chattr", ["-i", run.ModelFolder]);
            undo.WaitForExit();
        }
    }
}

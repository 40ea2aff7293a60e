using System.Buffers.Binary;
using System.Text.Json;
using System.Text.RegularExpressions;
using VaeSharp.Cli;
using Xunit.Abstractions;

namespace VaeSharp.Tests.Plotting;

/// <summary>
/// Opens `vae report` pages in headless chromium: no console errors, every image decoded, and for latent 3 a canvas
/// with points drawn. The page's own self-check (see HtmlReport) writes its findings into the DOM that chromium dumps.
/// Screenshots are kept under the test output folder in browser/ for people to look at.
/// </summary>
public partial class ReportBrowserTests(ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData(2)]
    [InlineData(3)]
    public void ReportLoadsCleanlyInChromium(int latent)
    {
        if (!HeadlessChromium.Installed)
        {
            // Fail where the browser is part of the contract; elsewhere the run reports the test as skipped.
            string message = $"{HeadlessChromium.Path} is not installed (apt-get install chromium); the report's browser check did not run";
            if (HeadlessChromium.Required) Assert.Fail(message + " and CI=true or VAESHARP_REQUIRE_CHROMIUM=1 requires it");
            throw new SkipException(message);
        }

        using var run = new SyntheticRun(latent, testCount: 60);
        string page = run.File("report.html");
        Assert.Equal(0, VaeCli.Run(["report", "--model", run.ModelFolder, "--data-dir", run.DataFolder]));

        var match = SelfCheck().Match(HeadlessChromium.DumpDom(page));
        Assert.True(match.Success, "the dumped DOM has no filled selfcheck element: the load handler did not run");
        using var check = JsonDocument.Parse(System.Net.WebUtility.HtmlDecode(match.Groups[1].Value));
        var root = check.RootElement;
        output.WriteLine(root.GetRawText());
        Assert.Empty(root.GetProperty("errors").EnumerateArray());
        Assert.Equal(6, root.GetProperty("images").GetInt32()); // the architecture diagram and five figures
        Assert.True(root.GetProperty("images_ok").GetBoolean(), "an image did not load");
        if (latent == 3) Assert.True(root.GetProperty("canvas_pixels").GetInt32() > 100, "the 3-D canvas drew no points");

        string screenshots = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "browser")).FullName;
        string screenshot = Path.Combine(screenshots, $"report-latent{latent}.png");
        File.Delete(screenshot);
        HeadlessChromium.Screenshot(page, screenshot);
        // Chromium filters with Paeth, which our test decoder leaves out; the header is enough to check the size.
        byte[] png = File.ReadAllBytes(screenshot);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Equal((1200, 2000), (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
        output.WriteLine($"screenshot: {screenshot}");
    }

    [GeneratedRegex("<pre id=\"selfcheck\"[^>]*>([^<]+)</pre>")]
    private static partial Regex SelfCheck();
}

using System.Diagnostics;

namespace VaeSharp.Tests.Plotting;

/// <summary>
/// Drives Debian's chromium in headless mode: a DOM dump after the page's scripts have run, and a screenshot. Each
/// run gets a fresh profile folder and no network features, so nothing outside the page is fetched.
/// </summary>
internal static class HeadlessChromium
{
    public const string Path = "/usr/bin/chromium";

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Whether the browser test must run here: under CI (CI=true, as .ci/run and hosted runners set it) or when
    /// VAESHARP_REQUIRE_CHROMIUM=1. Elsewhere a machine without chromium reports the test as skipped, with the reason.
    /// </summary>
    public static bool Required =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
        || Environment.GetEnvironmentVariable("VAESHARP_REQUIRE_CHROMIUM") == "1";

    public static bool Installed => File.Exists(Path);

    /// <summary>The DOM after <c>--virtual-time-budget</c> has let the load handlers run.</summary>
    public static string DumpDom(string htmlPath) => Run(["--virtual-time-budget=5000", "--dump-dom", new Uri(htmlPath).AbsoluteUri]);

    /// <summary>Saves a PNG of the page, 1200 pixels wide and 2000 tall.</summary>
    public static void Screenshot(string htmlPath, string pngPath) =>
        Run(["--virtual-time-budget=5000", "--window-size=1200,2000", $"--screenshot={pngPath}", new Uri(htmlPath).AbsoluteUri]);

    private static string Run(IEnumerable<string> arguments)
    {
        string profile = Directory.CreateTempSubdirectory("vaesharp-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(Path)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                         "--no-first-run", "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}"])
                start.ArgumentList.Add(argument);
            foreach (string argument in arguments) start.ArgumentList.Add(argument);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Limit))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium ran past {Limit.TotalSeconds} s");
            }
            Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {errors.Result}");
            return output.Result;
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}

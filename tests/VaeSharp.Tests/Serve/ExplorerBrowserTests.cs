using VaeSharp.Tests.Plotting;
using Xunit.Abstractions;

namespace VaeSharp.Tests.Serve;

/// <summary>
/// The explorer page in headless chromium against a real server on a free loopback port: hovering the latent map
/// decodes, a stroke on the pad gives a reconstruction and a marker on the map, and for a masked model erasing gives
/// K draws. No console errors. Screenshots go to browser/ under the test output folder.
/// </summary>
public class ExplorerBrowserTests(ITestOutputHelper output)
{
    private const string Canvas = "document.getElementById";

    [SkippableTheory]
    [InlineData(2, false, false)]
    [InlineData(3, true, false)]
    [InlineData(4, true, true)]
    public async Task ThePageDecodesReconstructsAndImputesInChromium(int latent, bool masked, bool conditional)
    {
        if (!HeadlessChromium.Installed)
        {
            string message = $"{HeadlessChromium.Path} is not installed (apt-get install chromium); the explorer's browser check did not run";
            if (HeadlessChromium.Required) Assert.Fail(message + " and CI=true or VAESHARP_REQUIRE_CHROMIUM=1 requires it");
            throw new SkipException(message);
        }

        await using var served = await ServedModel.StartOnSocketAsync(ServedModel.Spec(latent, masked, conditional));
        await using var page = await DevToolsPage.OpenAsync(served.Url, 1500, 1900);
        await page.WaitForAsync("document.body.dataset.ready === '1'", "the page started");

        // Hovering two places on the map decodes two different digits.
        var map = await page.BoxAsync("map");
        string before = (await page.EvaluateAsync($"{Canvas}('hover-digit').toDataURL()")).GetString()!;
        await page.MouseAsync("mouseMoved", map.X + 0.25 * map.Width, map.Y + 0.25 * map.Height);
        await page.WaitForAsync($"Number({Canvas}('hover-digit').dataset.decodes) >= 1", "the first hover decoded");
        string first = (await page.EvaluateAsync($"{Canvas}('hover-digit').toDataURL()")).GetString()!;
        await page.MouseAsync("mouseMoved", map.X + 0.8 * map.Width, map.Y + 0.7 * map.Height);
        await page.WaitForAsync($"{Canvas}('hover-digit').toDataURL() !== {System.Text.Json.JsonSerializer.Serialize(first)}", "the second hover decoded another digit");
        Assert.NotEqual(before, first);

        // Two pins give the interpolation strip.
        foreach (var (fx, fy) in new[] { (0.3, 0.3), (0.7, 0.6) })
        {
            await page.MouseAsync("mousePressed", map.X + fx * map.Width, map.Y + fy * map.Height);
            await page.MouseAsync("mouseReleased", map.X + fx * map.Width, map.Y + fy * map.Height);
        }
        await page.WaitForAsync($"!{Canvas}('interpolation-box').hidden", "two pins showed the interpolation");

        // A stroke on the pad: a reconstruction and the marker on the map.
        var pad = await page.BoxAsync("pad");
        await page.DragAsync([.. Enumerable.Range(0, 12).Select(i => (pad.X + pad.Width * (0.45 + 0.02 * Math.Sin(i)), pad.Y + pad.Height * (0.2 + 0.05 * i)))]);
        await page.WaitForAsync($"Number({Canvas}('reconstruction').dataset.drawn) >= 1", "the stroke was reconstructed");
        await page.WaitForAsync($"/^-?[0-9.]+,-?[0-9.]+$/.test({Canvas}('map').dataset.marker || '')", "the marker was placed");
        var ink = await page.EvaluateAsync($"(() => {{ const c = {Canvas}('reconstruction'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let s = 0; for (let i = 0; i < d.length; i += 4) s += d[i]; return s; }})()");
        Assert.True(ink.GetDouble() > 0, "the reconstruction canvas is black");

        if (masked)
        {
            await page.WaitForAsync($"{Canvas}('draws').dataset.draws === '6'", "the loaded test digit was imputed with the default K");
            await page.EvaluateAsync($"(() => {{ const k = {Canvas}('samples'); k.value = '3'; k.dispatchEvent(new Event('input')); }})()");
            var erase = await page.BoxAsync("erase");
            await page.DragAsync([.. Enumerable.Range(0, 10).Select(i => (erase.X + erase.Width * (0.1 + 0.08 * i), erase.Y + erase.Height * 0.5))]);
            await page.WaitForAsync($"{Canvas}('draws').dataset.draws === '3' && {Canvas}('draws').children.length === 3", "erasing gave K = 3 draws");
            Assert.Equal(latent - 2, (await page.EvaluateAsync($"{Canvas}('sliders').children.length")).GetInt32());
        }
        else
        {
            await page.WaitForAsync($"!{Canvas}('impute-unavailable').hidden", "the unmasked model's note is shown");
        }
        await page.WaitForAsync($"{Canvas}('samples-grid').dataset.count === '64'", "the prior samples were drawn");
        Assert.Equal("", (await page.EvaluateAsync($"{Canvas}('status').textContent")).GetString());

        string folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "browser")).FullName;
        string screenshot = Path.Combine(folder, $"serve-latent{latent}{(conditional ? "-conditional" : masked ? "-masked" : "")}.png");
        await page.ScreenshotAsync(screenshot);
        output.WriteLine($"screenshot: {screenshot}");
        Assert.Empty(page.Errors);
    }
}

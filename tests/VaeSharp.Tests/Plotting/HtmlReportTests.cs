using VaeSharp.Plotting;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Plotting;

public class HtmlReportTests
{
    [Fact]
    public void InlinesImagesAndRefersToNothingOutside()
    {
        var report = new HtmlReport("a <test> & more");
        report.AddHeading("Pictures");
        report.AddTable(["metric", "value"], [["iw_nll", "88.5"], ["note", "<b>"]]);
        report.AddImage(new Canvas(3, 2, Palette.Background).ToPng(), "tiny");
        var points = new Tensor(new Shape(5, 3));
        new Rng(2).FillGaussian(points.Span);
        report.AddScatter3d(points, [0, 1, 2, 3, 4], "cloud");
        string html = report.ToHtml();

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("src=\"data:image/png;base64,iVBORw0KGgo", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<script src", html);
        Assert.DoesNotContain("<link", html);
        Assert.Contains("a &lt;test&gt; &amp; more", html);
        Assert.Contains("&lt;b&gt;", html);
        Assert.Contains("<td class=\"n\">88.5</td>", html);
        Assert.Contains("<canvas id=\"scatter3d-0\"", html);
        Assert.Contains("<pre id=\"selfcheck\" hidden></pre>", html);
        Assert.DoesNotContain("__POINTS__", html);
        // The error hooks come before any other script, so nothing can fail unseen.
        Assert.True(html.IndexOf("window.reportErrors", StringComparison.Ordinal) < html.IndexOf("<canvas", StringComparison.Ordinal));
    }

    [Fact]
    public void ScatterNeedsThreeColumns() =>
        Assert.Throws<ArgumentException>(() => new HtmlReport("x").AddScatter3d(new Tensor(new Shape(4, 2)), null, "flat"));
}

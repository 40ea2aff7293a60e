using System.Reflection;

namespace VaeSharp.Serve;

/// <summary>
/// The explorer page: one self-contained HTML document, assembled once from the embedded index.html, page.css and
/// page.js. It loads nothing from elsewhere, and its content security policy says so to the browser.
/// </summary>
internal static class Page
{
    /// <summary>Inline style and script only; data is fetched from this server alone; no frames, forms or other origins.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Lazy<string> Assembled = new(() =>
        Resource("index.html").Replace("/*PAGE_CSS*/", Resource("page.css"), StringComparison.Ordinal)
            .Replace("/*PAGE_JS*/", Resource("page.js"), StringComparison.Ordinal));

    public static string Html => Assembled.Value;

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"VaeSharp.Serve.Page.{name}")
            ?? throw new InvalidOperationException($"the page resource {name} is missing from the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

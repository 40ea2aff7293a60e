using System.Globalization;
using System.Net;
using System.Text;
using VaeSharp.Tensors;

namespace VaeSharp.Plotting;

/// <summary>
/// Builds one self-contained HTML page: headings, paragraphs, tables, PNGs inlined as base64 data URIs and, for a 3-D
/// latent space, an interactive scatter on a canvas in plain inline JavaScript. Nothing refers outside the file, so it
/// opens offline and can be mailed as it is.
/// </summary>
/// <remarks>
/// The page checks itself once loaded and writes the result as JSON into a hidden <c>&lt;pre id="selfcheck"&gt;</c>:
/// <c>images</c> (count), <c>images_ok</c> (every image decoded with a width), <c>canvas_pixels</c> (coloured, not
/// gray, pixels on the canvases: the points, not just the axes) and <c>errors</c> (script errors and console.error calls, caught by handlers installed before
/// anything else runs). A headless browser's DOM dump then tells a test whether the page really works.
/// </remarks>
public sealed class HtmlReport(string title)
{
    /// <summary>Points sent to the 3-D view at most; more make the page heavy without showing more.</summary>
    public const int MaxScatterPoints = 3000;

    private readonly StringBuilder _body = new();
    private int _scatterCount;

    /// <summary>Adds a section heading.</summary>
    public void AddHeading(string text) => _body.Append("<h2>").Append(Encode(text)).Append("</h2>\n");

    /// <summary>Adds a paragraph of plain text.</summary>
    public void AddParagraph(string text) => _body.Append("<p>").Append(Encode(text)).Append("</p>\n");

    /// <summary>Adds a table; numeric-looking cells are right-aligned.</summary>
    public void AddTable(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        _body.Append("<table>\n<tr>");
        foreach (string column in columns) _body.Append("<th>").Append(Encode(column)).Append("</th>");
        _body.Append("</tr>\n");
        foreach (var row in rows)
        {
            _body.Append("<tr>");
            foreach (string cell in row)
                _body.Append(double.TryParse(cell, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out _) ? "<td class=\"n\">" : "<td>")
                    .Append(Encode(cell)).Append("</td>");
            _body.Append("</tr>\n");
        }
        _body.Append("</table>\n");
    }

    /// <summary>Adds a PNG, inlined as a base64 data URI, with its caption.</summary>
    public void AddImage(byte[] png, string caption)
    {
        ArgumentNullException.ThrowIfNull(png);
        _body.Append("<figure><img alt=\"").Append(Encode(caption)).Append("\" src=\"data:image/png;base64,")
            .Append(Convert.ToBase64String(png)).Append("\"><figcaption>").Append(Encode(caption)).Append("</figcaption></figure>\n");
    }

    /// <summary>
    /// Adds the interactive 3-D scatter of <paramref name="points"/> (count, 3), coloured by <paramref name="labels"/>;
    /// an evenly spaced subsample of at most <see cref="MaxScatterPoints"/> is drawn. Dragging rotates it.
    /// </summary>
    public void AddScatter3d(Tensor points, byte[]? labels, string caption)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Shape.Rank != 2 || points.Shape.Cols != 3) throw new ArgumentException($"a 3-D scatter needs (count, 3) points, not {points.Shape}", nameof(points));
        int count = points.Shape.Rows, stride = Math.Max(1, (count + MaxScatterPoints - 1) / MaxScatterPoints);
        var data = new StringBuilder("[");
        for (int i = 0; i < count; i += stride)
        {
            var row = points.Row(i);
            data.Append(i == 0 ? "[" : ",[")
                .Append(Number(row[0])).Append(',').Append(Number(row[1])).Append(',').Append(Number(row[2])).Append(',')
                .Append(labels is null ? 0 : labels[i]).Append(']');
        }
        data.Append(']');
        string id = $"scatter3d-{_scatterCount++}";
        string colors = "[" + string.Join(",", Palette.Tab10.Select(color => $"\"{color.ToHex()}\"")) + "]";
        _body.Append("<figure><canvas id=\"").Append(id).Append("\" width=\"720\" height=\"560\"></canvas><figcaption>")
            .Append(Encode(caption)).Append("</figcaption></figure>\n<script>")
            .Append(Scatter3dScript.Source.Replace("__ID__", id).Replace("__POINTS__", data.ToString()).Replace("__COLORS__", colors))
            .Append("</script>\n");
    }

    /// <summary>The whole page.</summary>
    public string ToHtml() => new StringBuilder()
        .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(Encode(title)).Append("</title>\n")
        .Append("<script>").Append(SelfCheckScript).Append("</script>\n")
        .Append("<style>").Append(Style).Append("</style>\n</head>\n<body>\n<h1>").Append(Encode(title)).Append("</h1>\n")
        .Append(_body)
        .Append("<pre id=\"selfcheck\" hidden></pre>\n</body>\n</html>\n")
        .ToString();

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Number(float value) =>
        float.IsFinite(value) ? value.ToString("0.####", CultureInfo.InvariantCulture) : "0";

    private const string Style =
        "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1800px;padding:0 1em;color:#202020}" +
        "h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}" +
        "table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ddd;padding:.25em .6em}th{background:#f4f4f4}" +
        "td.n{text-align:right;font-variant-numeric:tabular-nums}" +
        "figure{margin:1em 0}img{max-width:100%;border:1px solid #eee}" +
        "canvas{border:1px solid #ccc;cursor:grab;touch-action:none}figcaption{color:#666;font-size:.9em}";

    private const string SelfCheckScript = """
        window.reportErrors = [];
        window.addEventListener('error', function (event) { window.reportErrors.push(String(event.message || event)); });
        window.addEventListener('unhandledrejection', function (event) { window.reportErrors.push(String(event.reason)); });
        (function () {
          var original = console.error;
          console.error = function () { window.reportErrors.push(Array.prototype.join.call(arguments, ' ')); original.apply(console, arguments); };
        })();
        window.addEventListener('load', function () {
          var images = Array.prototype.slice.call(document.images);
          var pixels = 0;
          Array.prototype.forEach.call(document.querySelectorAll('canvas'), function (canvas) {
            var data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            for (var i = 0; i < data.length; i += 4) if (data[i] !== data[i + 1] || data[i + 1] !== data[i + 2]) pixels++;
          });
          document.getElementById('selfcheck').textContent = JSON.stringify({
            images: images.length,
            images_ok: images.every(function (image) { return image.complete && image.naturalWidth > 0; }),
            canvas_pixels: pixels,
            errors: window.reportErrors
          });
        });
        """;
}

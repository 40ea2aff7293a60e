using System.Globalization;
using VaeSharp.Models;
using VaeSharp.Tensors;

namespace VaeSharp.Plotting;

/// <summary>
/// Draws a model as Keras's <c>plot_model(show_shapes=True)</c> does: a box per layer with its name, type and input
/// and output shapes per example, arrows between them, the mu and log_var heads side by side, the sampling node, and
/// the decoder below. A conditional decoder's observed paths run beside its body, fed from the input along the right
/// edge, and their logits add into the body's. Activations are drawn inside the layer they follow.
/// </summary>
public static class ArchitectureDiagram
{
    private const int Scale = 2, Lines = 4, Padding = 10, ColumnGap = 40, RowGap = 40, Margin = 30, RailSpace = 40;

    private static readonly Color Background = Color.FromHex(0xffffff), Ink = Color.FromHex(0x202020);
    private static readonly Color InputFill = Color.FromHex(0xe8e8e8), EncoderFill = Color.FromHex(0xdbe9f6);
    private static readonly Color LatentFill = Color.FromHex(0xdff2dc), DecoderFill = Color.FromHex(0xfbe5d0);

    /// <summary>The diagram of <paramref name="model"/> as a PNG file's bytes.</summary>
    public static byte[] ToPng(VaeModel model) => Draw(model).ToPng();

    /// <summary>The diagram of <paramref name="model"/> on a canvas sized to fit it.</summary>
    public static Canvas Draw(VaeModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = Build(model);
        string title = $"{model.Spec.Name}: {model.Parameters.Count.ToString("N0", CultureInfo.InvariantCulture)} parameters";
        return Render(graph, title);
    }

    /// <summary>A layer's box: its lines of text, and its place as column <paramref name="Column"/> of a row of <paramref name="Columns"/>.</summary>
    internal sealed record Box(string[] Text, Color Fill, int Row, int Column, int Columns);

    /// <summary>An edge; a rail edge runs from the right side of its source down the right margin, past the boxes between.</summary>
    internal sealed record Arrow(int From, int To, bool Rail = false);

    /// <summary>The boxes and arrows, before layout.</summary>
    internal sealed class Graph
    {
        public List<Box> Boxes { get; } = [];
        public List<Arrow> Arrows { get; } = [];

        public int Add(Box box, params int[] sources)
        {
            Boxes.Add(box);
            foreach (int source in sources) Arrows.Add(new Arrow(source, Boxes.Count - 1));
            return Boxes.Count - 1;
        }
    }

    internal static Graph Build(VaeModel model)
    {
        var spec = model.Spec;
        var architecture = model.Architecture();
        var graph = new Graph();
        var latent = new Shape(spec.Latent);
        int input = graph.Add(new Box(Lines4("input", spec.Masked ? "Input: [x*mask, mask]" : "Input: x", architecture.EncoderInput, architecture.EncoderInput), InputFill, 0, 0, 1));
        int row = 1;
        int last = Chain(graph, architecture.Encoder, input, ref row, 0, 1, EncoderFill);
        int mu = graph.Add(new Box(Lines4(architecture.Mu), LatentFill, row, 0, 2), last);
        int logVar = graph.Add(new Box(Lines4(architecture.LogVar), LatentFill, row++, 1, 2), last);
        int z = graph.Add(new Box(Lines4("z", "Sampling: mu + exp(log_var/2)*eps", latent, latent), LatentFill, row++, 0, 1), mu, logVar);
        if (architecture.ObservedPaths.Count == 0)
        {
            last = Chain(graph, architecture.Decoder, z, ref row, 0, 1, DecoderFill);
        }
        else
        {
            // The body reads [z, x·mask, mask]; the observed paths read [x·mask, mask]; each ends in logits to add.
            int columns = 1 + architecture.ObservedPaths.Count;
            string[] concatText = ["decoder", "Concatenate: [z, x*mask, mask]", $"input:  {LayerSummary.FormatShape(latent)}, {LayerSummary.FormatShape(architecture.EncoderInput)}", "output: " + LayerSummary.FormatShape(architecture.DecoderInput)];
            int concat = graph.Add(new Box(concatText, DecoderFill, row, 0, columns), z);
            graph.Arrows.Add(new Arrow(input, concat, Rail: true));
            int bodyRow = row + 1;
            var ends = new List<int> { Chain(graph, architecture.Decoder, concat, ref bodyRow, 0, columns, DecoderFill) };
            int end = bodyRow;
            for (int path = 0; path < architecture.ObservedPaths.Count; path++)
            {
                int pathRow = row;
                int first = graph.Boxes.Count;
                ends.Add(Chain(graph, architecture.ObservedPaths[path], null, ref pathRow, path + 1, columns, DecoderFill));
                graph.Arrows.Add(new Arrow(input, first, Rail: true));
                end = Math.Max(end, pathRow);
            }
            var logits = architecture.Decoder[^1].OutputShape;
            last = graph.Add(new Box(Lines4("decoder", $"Add: the {columns} paths' logits", logits, logits), DecoderFill, end, 0, 1), [.. ends]);
            row = end + 1;
        }
        string output = spec.Loss == ReconstructionLoss.Gaussian ? "Identity: the Gaussian mean" : "Sigmoid: pixel probabilities";
        graph.Add(new Box(Lines4("output", output, architecture.Decoder[^1].OutputShape, new Shape(spec.InputSize)), InputFill, row, 0, 1), last);
        return graph;
    }

    /// <summary>Adds <paramref name="layers"/> top to bottom in one column, each activation folded into the box before it.</summary>
    private static int Chain(Graph graph, IReadOnlyList<LayerSummary> layers, int? from, ref int row, int column, int columns, Color fill)
    {
        int last = from ?? -1;
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            string type = layer.Description;
            var output = layer.OutputShape;
            while (i + 1 < layers.Count && layers[i + 1].IsActivation) type += " + " + layers[++i].Description;
            var box = new Box(Lines4(layer.Name, type, layer.InputShape, output), fill, row++, column, columns);
            last = last < 0 ? graph.Add(box) : graph.Add(box, last);
        }
        return last;
    }

    private static string[] Lines4(LayerSummary layer) => Lines4(layer.Name, layer.Description, layer.InputShape, layer.OutputShape);

    private static string[] Lines4(string name, string type, Shape input, Shape output) =>
        [name, Plain(type), "input:  " + LayerSummary.FormatShape(input), "output: " + LayerSummary.FormatShape(output)];

    /// <summary>The text in the bitmap font's characters: × becomes x, anything else it lacks a question mark.</summary>
    private static string Plain(string text) =>
        new([.. text.Select(c => c == '×' ? 'x' : c == '·' ? '*' : BitmapFont.Covers(c) ? c : '?')]);

    private static Canvas Render(Graph graph, string title)
    {
        int lineHeight = BitmapFont.LineHeight * Scale;
        int boxWidth = graph.Boxes.Max(box => box.Text.Max(line => BitmapFont.MeasureWidth(line, Scale))) + 2 * Padding;
        int boxHeight = Lines * lineHeight + 2 * Padding;
        int maxColumns = graph.Boxes.Max(box => box.Columns);
        int contentWidth = Math.Max(maxColumns * boxWidth + (maxColumns - 1) * ColumnGap, BitmapFont.MeasureWidth(title, Scale));
        int rows = graph.Boxes.Max(box => box.Row) + 1;
        int top = Margin + lineHeight + Padding;
        bool rails = graph.Arrows.Any(arrow => arrow.Rail);
        var canvas = new Canvas(2 * Margin + contentWidth + (rails ? RailSpace : 0), top + rows * boxHeight + (rows - 1) * RowGap + Margin, Background);
        canvas.DrawText(Margin, Margin, title, Ink, Scale);

        int Left(Box box) => Margin + (contentWidth - (box.Columns * boxWidth + (box.Columns - 1) * ColumnGap)) / 2 + box.Column * (boxWidth + ColumnGap);
        int Top(Box box) => top + box.Row * (boxHeight + RowGap);
        foreach (var arrow in graph.Arrows)
        {
            var (from, to) = (graph.Boxes[arrow.From], graph.Boxes[arrow.To]);
            double toX = Left(to) + boxWidth / 2.0, toY = Top(to);
            if (arrow.Rail)
            {
                double rail = Margin + contentWidth + RailSpace / 2.0, fromY = Top(from) + boxHeight / 2.0, turnY = toY - RowGap / 2.0;
                canvas.DrawLine(Left(from) + boxWidth, fromY, rail, fromY, Ink, 2);
                canvas.DrawLine(rail, fromY, rail, turnY, Ink, 2);
                canvas.DrawLine(rail, turnY, toX, turnY, Ink, 2);
                DrawArrow(canvas, toX, turnY, toX, toY);
            }
            else
            {
                DrawArrow(canvas, Left(from) + boxWidth / 2.0, Top(from) + boxHeight, toX, toY);
            }
        }
        foreach (var box in graph.Boxes)
        {
            int x = Left(box), y = Top(box);
            canvas.FillRect(x, y, boxWidth, boxHeight, box.Fill);
            canvas.DrawRect(x, y, boxWidth, boxHeight, Ink);
            canvas.DrawRect(x + 1, y + 1, boxWidth - 2, boxHeight - 2, Ink);
            for (int line = 0; line < box.Text.Length; line++)
                canvas.DrawText(x + Padding, y + Padding + line * lineHeight, box.Text[line], Ink, Scale);
        }
        return canvas;
    }

    /// <summary>A line from (x0, y0) to the tip (x1, y1), with a head at the tip.</summary>
    private static void DrawArrow(Canvas canvas, double x0, double y0, double x1, double y1)
    {
        canvas.DrawLine(x0, y0, x1, y1, Ink, 2);
        double length = Math.Max(1e-9, Math.Sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)));
        double dx = (x1 - x0) / length, dy = (y1 - y0) / length;
        foreach (int side in (ReadOnlySpan<int>)[-1, 1])
            canvas.DrawLine(x1, y1, x1 - 10 * dx + side * 6 * dy, y1 - 10 * dy - side * 6 * dx, Ink, 2);
    }
}

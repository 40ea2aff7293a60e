using VaeSharp.Models;
using VaeSharp.Plotting;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Plotting;

/// <summary>The architecture diagram: every layer in a box with its shapes, the heads side by side, the paths apart.</summary>
public class ArchitectureDiagramTests
{
    public static TheoryData<string> Presets => [.. Preset.All.Select(preset => preset.Name)];

    [Theory]
    [MemberData(nameof(Presets))]
    public void EveryLayerHasABoxWithItsInputAndOutputShapes(string name)
    {
        var model = new VaeModel(Preset.Find(name)!.Spec, new Rng(0));
        var boxes = ArchitectureDiagram.Build(model).Boxes;
        foreach (var layer in model.Summary().Where(layer => !layer.IsActivation))
            Assert.Contains(boxes, box => box.Text[0] == layer.Name && box.Text[1].StartsWith(layer.Description.Replace('×', 'x'))
                && box.Text[2] == "input:  " + Format(layer.InputShape) && box.Text[3].StartsWith("output: "));
        // An activation is drawn inside the layer before it, which then shows the activation's output.
        var rows = model.Summary();
        for (int i = 1; i < rows.Count; i++)
            if (rows[i].IsActivation)
                Assert.Contains(boxes, box => box.Text[0] == rows[i - 1].Name && box.Text[1].EndsWith(" + " + rows[i].Description));
        var png = PngTestDecoder.Decode(ArchitectureDiagram.ToPng(model));
        Assert.True(png.Width > 300 && png.Height > 300, $"{png.Width}×{png.Height}");
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void TheHeadsShareARowAboveTheSamplingNodeAndTheOutputComesLast(string name)
    {
        var model = new VaeModel(Preset.Find(name)!.Spec, new Rng(0));
        var graph = ArchitectureDiagram.Build(model);
        var mu = graph.Boxes.Single(box => box.Text[0] == "encoder.mu");
        var logVar = graph.Boxes.Single(box => box.Text[0] == "encoder.log_var");
        var z = graph.Boxes.Single(box => box.Text[0] == "z");
        Assert.Equal((mu.Row, 0, 1, 2), (logVar.Row, mu.Column, logVar.Column, mu.Columns));
        Assert.Equal(mu.Row + 1, z.Row);
        Assert.Contains(graph.Arrows, arrow => graph.Boxes[arrow.From] == mu && graph.Boxes[arrow.To] == z);
        Assert.Contains(graph.Arrows, arrow => graph.Boxes[arrow.From] == logVar && graph.Boxes[arrow.To] == z);
        var output = graph.Boxes[^1];
        Assert.Equal("output", output.Text[0]);
        Assert.Equal(graph.Boxes.Max(box => box.Row), output.Row);
        Assert.Equal("output: " + Format(new Shape(model.InputSize)), output.Text[3]);
        // Every box but the input is reached by an arrow: no layer floats free.
        for (int i = 1; i < graph.Boxes.Count; i++) Assert.Contains(graph.Arrows, arrow => arrow.To == i);
    }

    [Fact]
    public void AConditionalDecodersThreePathsRunSideBySideIntoOneSum()
    {
        var graph = ArchitectureDiagram.Build(new VaeModel(Preset.ImputeVaeac.Spec, new Rng(0)));
        var concat = graph.Boxes.Single(box => box.Text[1].StartsWith("Concatenate"));
        var observed = graph.Boxes.Single(box => box.Text[0] == "decoder.observed");
        var local = graph.Boxes.Single(box => box.Text[0] == "decoder.local1");
        Assert.Equal([(0, 3), (1, 3), (2, 3)], new[] { concat, observed, local }.Select(box => (box.Column, box.Columns)));
        Assert.All(new[] { concat, observed, local }, box => Assert.Equal(concat.Row, box.Row));
        // The observed input reaches all three along the rail; the sum collects the three paths' logits.
        Assert.Equal(3, graph.Arrows.Count(arrow => arrow.Rail && arrow.From == 0));
        int sum = graph.Boxes.FindIndex(box => box.Text[1].StartsWith("Add"));
        Assert.Equal(["decoder.output", "decoder.observed", "decoder.local3"], graph.Arrows.Where(arrow => arrow.To == sum).Select(arrow => graph.Boxes[arrow.From].Text[0]));
    }

    private static string Format(Shape shape) => "(None, " + string.Join(", ", shape.Dims) + ")";
}

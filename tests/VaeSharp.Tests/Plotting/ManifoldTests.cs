using VaeSharp.Models;
using VaeSharp.Plotting;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Plotting;

public class ManifoldTests
{
    [Fact]
    public void LatticeRunsLeftToRightInZ0AndTopToBottomDownZ1()
    {
        var model = new VaeModel(new ModelSpec { InputShape = [2, 2], Hidden = [4], Latent = 2 }, new Rng(1));
        var images = Manifold.Decode(model, grid: 3, range: 2f);
        Assert.Equal(new Shape(9, 4), images.Shape);
        // Cell (row 0, col 0) decodes z = (−2, +2); cell (row 2, col 2) decodes z = (+2, −2).
        Assert.Equal(model.Decode(Tensor.FromArray([-2f, 2f], 1, 2)).ToArray(), images.Row(0).ToArray());
        Assert.Equal(model.Decode(Tensor.FromArray([2f, -2f], 1, 2)).ToArray(), images.Row(8).ToArray());
        Assert.Equal(model.Decode(Tensor.FromArray([0f, 0f], 1, 2)).ToArray(), images.Row(4).ToArray());
    }

    [Fact]
    public void PngIsGridTimesImageSize()
    {
        var model = new VaeModel(new ModelSpec { InputShape = [28, 28], Hidden = [8], Latent = 2 }, new Rng(1));
        using var png = new MemoryStream();
        Manifold.WritePng(png, model, grid: 4, range: 3f, 28, 28);
        var bytes = png.ToArray();
        Assert.Equal(112, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(112, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }
}

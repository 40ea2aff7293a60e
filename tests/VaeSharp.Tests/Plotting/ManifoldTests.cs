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
        // Cell (row 0, col 0) decodes z = (−2, +2); cell (row 2, col 2) decodes z = (+2, −2). A batch of 9 and a batch
        // of 1 may take different GEMM kernels, which round their sums differently, hence the tolerance.
        AssertClose(model.Decode(Tensor.FromArray([-2f, 2f], 1, 2)).ToArray(), images.Row(0).ToArray());
        AssertClose(model.Decode(Tensor.FromArray([2f, -2f], 1, 2)).ToArray(), images.Row(8).ToArray());
        AssertClose(model.Decode(Tensor.FromArray([0f, 0f], 1, 2)).ToArray(), images.Row(4).ToArray());
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

    /// <summary>Equal within 1e-6, a few float32 roundings of a pixel probability.</summary>
    internal static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6f, $"pixel {i}: expected {expected[i]}, got {actual[i]}");
    }
}

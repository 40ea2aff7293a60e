using VaeSharp.Kernels;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Kernels;

public class Im2ColTests
{
    [Theory]
    // batch, height, width, channels, kernelH, kernelW, stride, padTop, padLeft, outH, outW
    [InlineData(1, 4, 4, 1, 3, 3, 1, 1, 1, 4, 4)]
    [InlineData(2, 5, 5, 2, 3, 3, 2, 1, 1, 3, 3)]
    [InlineData(2, 6, 7, 3, 3, 3, 2, 0, 0, 3, 4)] // TensorFlow's same on even 6: the odd pad row at the bottom
    [InlineData(2, 5, 4, 2, 2, 3, 1, 0, 1, 4, 4)]
    [InlineData(1, 3, 3, 2, 1, 1, 2, 0, 0, 2, 2)]
    [InlineData(2, 4, 4, 2, 3, 3, 3, 0, 0, 2, 2)] // windows that skip pixels
    public void FoldIsTheAdjointOfUnfold(int batch, int height, int width, int channels, int kernelH, int kernelW,
        int stride, int padTop, int padLeft, int outH, int outW)
    {
        var rng = new Rng(3);
        var image = Random(rng, batch * height * width * channels); // image: (batch, h, w, c)
        var columns = Random(rng, batch * outH * outW * kernelH * kernelW * channels); // columns: (batch·outH·outW, kH·kW·c)
        var unfolded = new float[columns.Length];
        Im2Col.Unfold(image, batch, height, width, channels, kernelH, kernelW, stride, padTop, padLeft, outH, outW, unfolded);
        var folded = new float[image.Length];
        Im2Col.Fold(columns, batch, height, width, channels, kernelH, kernelW, stride, padTop, padLeft, outH, outW, folded);

        // <Unfold(x), y> = <x, Fold(y)>
        Assert.Equal(Dot(unfolded, columns), Dot(image, folded), 4);
    }

    [Theory]
    [InlineData(2, 7, 3)] // conv's transposed layer in small: stride 2, same padding
    [InlineData(1, 5, 4)]
    public void FoldingInBandsOfImageRowsGivesTheWholeFoldBitForBit(int batch, int height, int bands)
    {
        // The transposed convolution's geometry: windows are the (height, height) input positions, the image its output.
        int width = height, outSize = 2 * height, channels = 3, patch = 9 * channels;
        var rng = new Rng(5);
        var columns = Random(rng, batch * height * width * patch); // columns: (batch·h·w, 3·3·c)
        var whole = Random(rng, batch * outSize * outSize * channels); // (batch, 2h, 2w, c), folded into on top of noise
        var banded = (float[])whole.Clone();
        Im2Col.FoldRows(columns, outSize, outSize, channels, 3, 3, 2, 0, 0, height, width, 0, batch * height * width, whole);
        for (int band = 0; band < bands; band++)
            Im2Col.FoldRows(columns, outSize, outSize, channels, 3, 3, 2, 0, 0, height, width, 0, batch * height * width, banded,
                outSize * band / bands, outSize * (band + 1) / bands);
        Assert.Equal(whole, banded);
    }

    [Fact]
    public void UnfoldCopiesWindowsAndReadsPaddingAsZero()
    {
        float[] image = [1, 2, 3, 4]; // (1, 2, 2, 1)
        var columns = new float[4 * 9];
        Array.Fill(columns, float.NaN); // the output is overwritten, even where it is padding
        Im2Col.Unfold(image, 1, 2, 2, 1, 3, 3, 1, 1, 1, 2, 2, columns);
        Assert.Equal([0, 0, 0, 0, 1, 2, 0, 3, 4], columns[..9]);
        Assert.Equal([1, 2, 0, 3, 4, 0, 0, 0, 0], columns[27..]);
    }

    [Fact]
    public void FoldAccumulatesOverlapsIntoTheImage()
    {
        var columns = new float[4 * 9];
        Array.Fill(columns, 1f);
        float[] image = [10, 10, 10, 10];
        Im2Col.Fold(columns, 1, 2, 2, 1, 3, 3, 1, 1, 1, 2, 2, image);
        Assert.Equal([14f, 14f, 14f, 14f], image); // every pixel lies in all four windows
    }

    [Fact]
    public void WrongLengthsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Im2Col.Unfold(new float[4], 1, 2, 2, 1, 3, 3, 1, 1, 1, 2, 2, new float[35]));
        Assert.Throws<ArgumentException>(() => Im2Col.Fold(new float[36], 1, 2, 2, 1, 3, 3, 1, 1, 1, 2, 2, new float[5]));
        Assert.Throws<ArgumentException>(() => Im2Col.Unfold(new float[4], 1, 2, 2, 1, 3, 3, 0, 1, 1, 2, 2, new float[36]));
    }

    private static float[] Random(Rng rng, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = rng.NextUniform(-1f, 1f);
        return values;
    }

    private static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }
}

using VaeSharp.Kernels;

namespace VaeSharp.Tests.Kernels;

/// <summary>A 16-filter convolution's dW taken straight from the image: the sums of window ⊗ dy, added to what was there.</summary>
public class NarrowWeightGradientTests
{
    [Theory]
    // batch, height, width, channels, kernelH, kernelW, padTop, padLeft, outH, outW
    [InlineData(2, 7, 9, 8, 3, 3, 1, 1, 7, 9)] // 'same': the border windows lose a row or a column
    [InlineData(2, 6, 5, 16, 3, 3, 0, 0, 4, 3)] // 'valid'
    [InlineData(1, 5, 6, 24, 5, 3, 2, 1, 5, 6)] // a 5×3 kernel, three blocks of 8 channels
    [InlineData(3, 4, 4, 8, 1, 1, 0, 0, 4, 4)] // 1×1
    public void MatchesTheSumsInDouble(int batch, int height, int width, int channels, int kernelH, int kernelW,
        int padTop, int padLeft, int outH, int outW)
    {
        const int filters = NarrowWeightGradient.OutChannels;
        var rng = new Random(channels * 100 + kernelH);
        float[] image = Uniform(rng, batch * height * width * channels), dy = Uniform(rng, batch * outH * outW * filters);
        float[] dKernel = Uniform(rng, kernelH * kernelW * channels * filters);
        var expected = dKernel.Select(v => (double)v).ToArray();
        var magnitude = expected.Select(Math.Abs).ToArray(); // |initial| + Σ |x·dy| per weight, for the rounding bound
        for (int n = 0; n < batch; n++)
            for (int oh = 0; oh < outH; oh++)
                for (int ow = 0; ow < outW; ow++)
                    for (int kh = 0; kh < kernelH; kh++)
                        for (int kw = 0; kw < kernelW; kw++)
                        {
                            int ih = oh - padTop + kh, iw = ow - padLeft + kw;
                            if (ih < 0 || ih >= height || iw < 0 || iw >= width) continue;
                            for (int c = 0; c < channels; c++)
                                for (int f = 0; f < filters; f++)
                                {
                                    double product = (double)image[((n * height + ih) * width + iw) * channels + c]
                                        * dy[((n * outH + oh) * outW + ow) * filters + f];
                                    int w = ((kh * kernelW + kw) * channels + c) * filters + f;
                                    expected[w] += product;
                                    magnitude[w] += Math.Abs(product);
                                }
                        }

        NarrowWeightGradient.Accumulate(image, dy, dKernel, height, width, channels, kernelH, kernelW, padTop, padLeft,
            outH, outW, firstImage: 0, images: batch);

        // a float sum of k terms is within k·2^−23 of the exact one, relative to the sum of their magnitudes
        double unitsPerTerm = (batch * outH * outW + 1) * Math.Pow(2, -23);
        for (int w = 0; w < dKernel.Length; w++)
            Assert.True(Math.Abs(dKernel[w] - expected[w]) <= unitsPerTerm * magnitude[w],
                $"weight {w}: {dKernel[w]} against {expected[w]}");
    }

    [Fact]
    public void OnlyStride1ConvolutionsInto16ChannelsFromWholeBlocksOf8Fit()
    {
        Assert.True(NarrowWeightGradient.Fits(stride: 1, channels: 16, outChannels: 16));
        Assert.False(NarrowWeightGradient.Fits(stride: 2, channels: 16, outChannels: 16));
        Assert.False(NarrowWeightGradient.Fits(stride: 1, channels: 2, outChannels: 16));
        Assert.False(NarrowWeightGradient.Fits(stride: 1, channels: 16, outChannels: 32));
    }

    private static float[] Uniform(Random rng, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
}

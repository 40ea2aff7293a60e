using VaeSharp.Autograd;
using VaeSharp.Tensors;
using static VaeSharp.Tests.Autograd.GradientCheck;

namespace VaeSharp.Tests.Autograd;

/// <summary>
/// The chunked lowering and the single-filter kernel: outputs and gradients of shapes that span several chunks, with
/// a short last chunk, against textbook loops in double; the fused ReLU against the separate op, bit for bit; and the
/// per-layer scratch bound; and workers sharing a batch, against each image alone.
/// </summary>
public class ConvChunkTests
{
    private readonly Rng _rng = new(23);

    [Theory]
    // batch, height, width, inC, outC, kernel, stride, padding: 3×14×14 windows of 576 are 588 rows, 3 chunks of 192 and 12
    [InlineData(3, 14, 14, 64, 5, 3, 1, Padding.Same)]
    [InlineData(5, 13, 11, 32, 7, 3, 2, Padding.Same)]
    [InlineData(3, 15, 14, 40, 3, 3, 2, Padding.Valid)]
    [InlineData(2, 28, 28, 32, 1, 3, 1, Padding.Same)] // the conv preset's last layer: one filter, no columns
    [InlineData(3, 9, 8, 5, 1, 3, 2, Padding.Valid)]
    [InlineData(2, 7, 7, 3, 1, 4, 3, Padding.Same)]
    public void Conv2DMatchesTextbookLoopsAcrossChunks(int batch, int height, int width, int inC, int outC, int kernel,
        int stride, Padding padding)
    {
        var x = Uniform(_rng, -1, 1, batch, height, width, inC);
        var weight = Uniform(_rng, -1, 1, kernel, kernel, inC, outC);
        var bias = Uniform(_rng, -1, 1, outC);
        var (outH, padTop) = ConvGeometry.ConvAxis(height, kernel, stride, padding);
        var (outW, padLeft) = ConvGeometry.ConvAxis(width, kernel, stride, padding);
        var weights = Uniform(_rng, -1, 1, batch, outH, outW, outC).ToArray(); // R: dL/dy

        var (y, dx, dW, dB) = Run((tape, v) => tape.Conv2D(v[0], v[1], v[2], stride, padding), x, weight, bias, weights);

        double[] expectedY = new double[y.Length], expectedDx = new double[dx.Length], expectedDw = new double[dW.Length];
        double[] expectedDb = new double[outC];
        var xs = x.ToArray(); var ws = weight.ToArray(); var bs = bias.ToArray();
        for (int n = 0; n < batch; n++)
            for (int i = 0; i < outH; i++)
                for (int j = 0; j < outW; j++)
                    for (int o = 0; o < outC; o++)
                    {
                        int at = ((n * outH + i) * outW + j) * outC + o;
                        double sum = bs[o], r = weights[at];
                        expectedDb[o] += r;
                        for (int kh = 0; kh < kernel; kh++)
                            for (int kw = 0; kw < kernel; kw++)
                            {
                                int row = i * stride - padTop + kh, col = j * stride - padLeft + kw;
                                if (row < 0 || row >= height || col < 0 || col >= width) continue;
                                for (int c = 0; c < inC; c++)
                                {
                                    int xi = ((n * height + row) * width + col) * inC + c, wi = ((kh * kernel + kw) * inC + c) * outC + o;
                                    sum += xs[xi] * ws[wi];
                                    expectedDx[xi] += r * ws[wi];
                                    expectedDw[wi] += r * xs[xi];
                                }
                            }
                        expectedY[at] = sum;
                    }
        AssertClose(expectedY, y, "y");
        AssertClose(expectedDx, dx, "dx");
        AssertClose(expectedDw, dW, "dW");
        AssertClose(expectedDb, dB, "db");
    }

    [Theory]
    // batch, height, width, inC, outC, kernel, stride, padding, outputPadding: 3×14×14 windows of 288 are 588 rows, 432 per chunk
    [InlineData(3, 14, 14, 64, 32, 3, 2, Padding.Same, 0)]
    [InlineData(4, 13, 12, 16, 40, 3, 2, Padding.Same, 1)]
    [InlineData(3, 12, 13, 8, 50, 3, 1, Padding.Valid, 0)]
    public void ConvTranspose2DMatchesTextbookLoopsAcrossChunks(int batch, int height, int width, int inC, int outC, int kernel,
        int stride, Padding padding, int outputPadding)
    {
        var x = Uniform(_rng, -1, 1, batch, height, width, inC);
        var weight = Uniform(_rng, -1, 1, kernel, kernel, outC, inC);
        var bias = Uniform(_rng, -1, 1, outC);
        var (outH, padTop) = ConvGeometry.TransposeAxis(height, kernel, stride, padding, outputPadding);
        var (outW, padLeft) = ConvGeometry.TransposeAxis(width, kernel, stride, padding, outputPadding);
        var weights = Uniform(_rng, -1, 1, batch, outH, outW, outC).ToArray();

        var (y, dx, dW, dB) = Run((tape, v) => tape.ConvTranspose2D(v[0], v[1], v[2], stride, padding, outputPadding),
            x, weight, bias, weights);

        double[] expectedY = new double[y.Length], expectedDx = new double[dx.Length], expectedDw = new double[dW.Length];
        double[] expectedDb = new double[outC];
        var xs = x.ToArray(); var ws = weight.ToArray(); var bs = bias.ToArray();
        for (int p = 0; p < y.Length; p++)
        {
            expectedY[p] = bs[p % outC];
            expectedDb[p % outC] += weights[p];
        }
        for (int n = 0; n < batch; n++)
            for (int i = 0; i < height; i++)
                for (int j = 0; j < width; j++)
                    for (int c = 0; c < inC; c++)
                        for (int kh = 0; kh < kernel; kh++)
                            for (int kw = 0; kw < kernel; kw++)
                            {
                                int row = i * stride - padTop + kh, col = j * stride - padLeft + kw;
                                if (row < 0 || row >= outH || col < 0 || col >= outW) continue;
                                int xi = ((n * height + i) * width + j) * inC + c;
                                for (int o = 0; o < outC; o++)
                                {
                                    int yi = ((n * outH + row) * outW + col) * outC + o, wi = ((kh * kernel + kw) * outC + o) * inC + c;
                                    expectedY[yi] += xs[xi] * ws[wi];
                                    expectedDx[xi] += weights[yi] * ws[wi];
                                    expectedDw[wi] += weights[yi] * xs[xi];
                                }
                            }
        AssertClose(expectedY, y, "y");
        AssertClose(expectedDx, dx, "dx");
        AssertClose(expectedDw, dW, "dW");
        AssertClose(expectedDb, dB, "db");
    }

    [Theory]
    [InlineData(1, 3, 1, Padding.Same)]
    [InlineData(1, 3, 2, Padding.Valid)]
    [InlineData(1, 2, 2, Padding.Same)]
    [InlineData(1, 3, 1, Padding.Same, 8)] // dW and dx kernel position by kernel position
    [InlineData(1, 3, 1, Padding.Valid, 16)]
    public void SingleFilterGradientsMatchFiniteDifferences(int outC, int kernel, int stride, Padding padding, int inC = 3) =>
        GradientCheck.Assert((tape, v) => tape.Conv2D(v[0], v[1], v[2], stride, padding),
        [
            Uniform(_rng, -1, 1, 2, 5, 6, inC),
            Uniform(_rng, -1, 1, kernel, kernel, inC, outC),
            Uniform(_rng, -1, 1, outC),
        ]);

    [Theory]
    [InlineData(false, 4)]
    [InlineData(false, 1)]
    [InlineData(true, 4)]
    public void AFusedReluGivesTheSeparateOpsValuesAndGradientsBitForBit(bool transposed, int outC)
    {
        var x = Uniform(_rng, -1, 1, 3, 14, 14, 64);
        var weight = transposed ? Uniform(_rng, -1, 1, 3, 3, outC, 64) : Uniform(_rng, -1, 1, 3, 3, 64, outC);
        var bias = Uniform(_rng, -1, 1, outC);
        Var Conv(Tape tape, Var[] v, bool relu) => transposed
            ? tape.ConvTranspose2D(v[0], v[1], v[2], 2, Padding.Same, 0, relu)
            : tape.Conv2D(v[0], v[1], v[2], 1, Padding.Same, relu);
        int outputs = transposed ? 3 * 28 * 28 * outC : 3 * 14 * 14 * outC;
        var weights = Uniform(_rng, -1, 1, outputs).ToArray();
        var separate = Run((tape, v) => tape.Relu(Conv(tape, v, relu: false)), x, weight, bias, weights);
        var fused = Run((tape, v) => Conv(tape, v, relu: true), x, weight, bias, weights);
        Xunit.Assert.Equal(separate.Y, fused.Y);
        Xunit.Assert.Equal(separate.Dx, fused.Dx);
        Xunit.Assert.Equal(separate.DW, fused.DW);
        Xunit.Assert.Equal(separate.DB, fused.DB);
    }

    [Theory]
    [InlineData(28, 28, 1, 3, 1)]
    [InlineData(14, 14, 64, 3, 1)]
    [InlineData(28, 28, 32, 3, 2)]
    [InlineData(14, 14, 400, 3, 1)] // a patch of 3600: the chunk is its floor of 48 rows
    public void AConvLayersScratchIsBoundedAndDoesNotGrowWithTheBatch(int height, int width, int channels, int kernel, int stride)
    {
        int Scratch(int batch) => new ConvChunks(ConvGeometry.ForConv(new Shape(batch, height, width, channels), kernel, kernel,
            stride, Padding.Same)).ScratchFloats;
        int patch = kernel * kernel * channels;
        Xunit.Assert.Equal(Scratch(100), Scratch(1000));
        Xunit.Assert.Equal(Scratch(128), Scratch(4000));
        Xunit.Assert.True(Scratch(1000) <= Math.Max(ConvChunks.TargetFloats, 48 * patch), $"{Scratch(1000)} floats");
        Xunit.Assert.True(Scratch(1000) < 1000 * height * width * patch / stride / stride / 20, "scratch is not a twentieth of the batch's columns");
    }

    [Theory]
    [InlineData(false, 14, 64, 64)]
    [InlineData(true, 14, 64, 64)]
    [InlineData(false, 28, 128, 1)] // the one-filter kernel, which splits forward positions too
    public void WorkersSharingABatchGiveEachImageWhatItGetsAloneAndRepeatBitForBit(bool transposed, int inSide, int channels, int filters)
    {
        // 3 images, each pass with enough work for two workers on a two-thread budget, split 1 | 2 images.
        const int batch = 3;
        var x = Uniform(_rng, -1, 1, batch, inSide, inSide, channels);
        var weight = Uniform(_rng, -1, 1, 3, 3, channels, filters);
        var bias = Uniform(_rng, -1, 1, filters);
        int stride = transposed ? 2 : 1, side = inSide * stride;
        var geometry = transposed
            ? ConvGeometry.ForTranspose(x.Shape, filters, 3, 3, stride, Padding.Same, 0)
            : ConvGeometry.ForConv(x.Shape, 3, 3, stride, Padding.Same);
        if (VaeSharp.Kernels.Gemm.Threads > 1)
            Xunit.Assert.Equal(2, new ConvChunks(geometry).Workers((long)geometry.PatchSize * filters, wholeImages: true));
        Var Conv(Tape tape, Var[] v) => transposed
            ? tape.ConvTranspose2D(v[0], v[1], v[2], stride, Padding.Same, 0, relu: true)
            : tape.Conv2D(v[0], v[1], v[2], stride, Padding.Same, relu: true);
        int outputsPerImage = side * side * filters, inputsPerImage = inSide * inSide * channels;
        var weights = Uniform(_rng, -1, 1, batch * outputsPerImage).ToArray();

        var together = Run(Conv, x, weight, bias, weights);
        var again = Run(Conv, x, weight, bias, weights);
        Xunit.Assert.Equal(together.Y, again.Y);
        Xunit.Assert.Equal(together.Dx, again.Dx);
        Xunit.Assert.Equal(together.DW, again.DW);
        Xunit.Assert.Equal(together.DB, again.DB);

        double[] dW = new double[weight.Size], dB = new double[filters];
        for (int n = 0; n < batch; n++)
        {
            var image = new Tensor(new Shape(1, inSide, inSide, channels), x.ToArray()[(n * inputsPerImage)..((n + 1) * inputsPerImage)]);
            var alone = Run(Conv, image, weight, bias, weights[(n * outputsPerImage)..((n + 1) * outputsPerImage)]);
            AssertClose(Array.ConvertAll(alone.Y, v => (double)v), together.Y[(n * outputsPerImage)..((n + 1) * outputsPerImage)], $"y of image {n}");
            AssertClose(Array.ConvertAll(alone.Dx, v => (double)v), together.Dx[(n * inputsPerImage)..((n + 1) * inputsPerImage)], $"dx of image {n}");
            for (int i = 0; i < dW.Length; i++) dW[i] += alone.DW[i];
            for (int i = 0; i < dB.Length; i++) dB[i] += alone.DB[i];
        }
        AssertClose(dW, together.DW, "dW");
        AssertClose(dB, together.DB, "db");
    }

    /// <summary>y = f(x, W, b) on a recording pooled tape, and the gradients of Σ y ⊙ R.</summary>
    private static (float[] Y, float[] Dx, float[] DW, float[] DB) Run(Func<Tape, Var[], Var> function,
        Tensor x, Tensor weight, Tensor bias, float[] weights)
    {
        var leaves = new[] { new Var(x, requiresGrad: true), new Var(weight, requiresGrad: true), new Var(bias, requiresGrad: true) };
        var tape = new Tape();
        var y = function(tape, leaves);
        tape.Backward(tape.Sum(tape.Mul(y, Var.Constant(new Tensor(y.Shape, weights)))));
        return (y.Value.ToArray(), leaves[0].Grad!.ToArray(), leaves[1].Grad!.ToArray(), leaves[2].Grad!.ToArray());
    }

    private static void AssertClose(double[] expected, float[] actual, string what)
    {
        Xunit.Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Xunit.Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * (1 + Math.Abs(expected[i])),
                $"{what} element {i}: expected {expected[i]}, got {actual[i]}");
    }
}

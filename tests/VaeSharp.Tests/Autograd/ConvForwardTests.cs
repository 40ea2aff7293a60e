using VaeSharp.Autograd;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Autograd;

/// <summary>The im2col ops against direct loops that follow the textbook definitions, with TensorFlow's padding.</summary>
public class ConvForwardTests
{
    private readonly Rng _rng = new(5);

    [Theory]
    // batch, height, width, inC, outC, kernel, stride, padding, expected outH, expected outW
    [InlineData(2, 28, 28, 2, 3, 3, 2, Padding.Same, 14, 14)] // the conv preset's downsampling step
    [InlineData(2, 28, 28, 1, 4, 3, 1, Padding.Same, 28, 28)]
    [InlineData(2, 7, 6, 3, 2, 3, 2, Padding.Same, 4, 3)]
    [InlineData(1, 7, 6, 3, 2, 3, 2, Padding.Valid, 3, 2)]
    [InlineData(2, 5, 5, 2, 3, 1, 1, Padding.Valid, 5, 5)]
    [InlineData(1, 8, 8, 2, 2, 4, 3, Padding.Same, 3, 3)]
    public void Conv2DMatchesADirectConvolution(int batch, int height, int width, int inC, int outC, int kernel,
        int stride, Padding padding, int outH, int outW)
    {
        var x = GradientCheck.Uniform(_rng, -1, 1, batch, height, width, inC);
        var weight = GradientCheck.Uniform(_rng, -1, 1, kernel, kernel, inC, outC);
        var bias = GradientCheck.Uniform(_rng, -1, 1, outC);
        var y = new Tape(recording: false).Conv2D(Var.Constant(x), Var.Constant(weight), Var.Constant(bias), stride, padding);
        Assert.Equal(new Shape(batch, outH, outW, outC), y.Shape);
        int padTop = padding == Padding.Same ? Math.Max((outH - 1) * stride + kernel - height, 0) / 2 : 0;
        int padLeft = padding == Padding.Same ? Math.Max((outW - 1) * stride + kernel - width, 0) / 2 : 0;
        AssertClose(DirectConv(x, weight, bias, stride, padTop, padLeft, outH, outW), y.Value.ToArray());
    }

    [Theory]
    // batch, height, width, inC, outC, kernel, stride, padding, outputPadding, expected outH, expected outW
    [InlineData(2, 14, 14, 3, 2, 3, 2, Padding.Same, 0, 28, 28)] // the conv preset's upsampling step
    [InlineData(2, 4, 3, 2, 3, 3, 1, Padding.Same, 0, 4, 3)]
    [InlineData(2, 3, 4, 2, 3, 3, 2, Padding.Valid, 0, 7, 9)]
    [InlineData(1, 3, 3, 2, 2, 3, 2, Padding.Valid, 1, 8, 8)]
    [InlineData(1, 3, 3, 2, 2, 3, 2, Padding.Same, 1, 7, 7)]
    [InlineData(1, 3, 2, 2, 2, 4, 3, Padding.Same, 0, 9, 6)]
    public void ConvTranspose2DMatchesADirectScatter(int batch, int height, int width, int inC, int outC, int kernel,
        int stride, Padding padding, int outputPadding, int outH, int outW)
    {
        var x = GradientCheck.Uniform(_rng, -1, 1, batch, height, width, inC);
        var weight = GradientCheck.Uniform(_rng, -1, 1, kernel, kernel, outC, inC);
        var bias = GradientCheck.Uniform(_rng, -1, 1, outC);
        var y = new Tape(recording: false).ConvTranspose2D(Var.Constant(x), Var.Constant(weight), Var.Constant(bias),
            stride, padding, outputPadding);
        Assert.Equal(new Shape(batch, outH, outW, outC), y.Shape);
        // TensorFlow's conv2d_transpose pads as the convolution from the output size back to the input size would.
        int padTop = padding == Padding.Same ? Math.Max((height - 1) * stride + kernel - outH, 0) / 2 : 0;
        int padLeft = padding == Padding.Same ? Math.Max((width - 1) * stride + kernel - outW, 0) / 2 : 0;
        AssertClose(DirectScatter(x, weight, bias, stride, padTop, padLeft, outH, outW), y.Value.ToArray());
    }

    [Fact]
    public void SameStride2PutsTheOddPadRowAtTheBottomAsTensorFlowDoes()
    {
        // 4×4 image 0..15, 3×3 kernel of ones: window (0, 0) covers rows and columns 0–2, not −1–1 as PyTorch's padding=1.
        var x = Tensor.FromArray(Enumerable.Range(0, 16).Select(i => (float)i).ToArray(), 1, 4, 4, 1);
        var ones = Tensor.FromArray(Enumerable.Repeat(1f, 9).ToArray(), 3, 3, 1, 1);
        var y = new Tape(recording: false).Conv2D(Var.Constant(x), Var.Constant(ones), Var.Constant(Tensor.Zeros(1)), 2, Padding.Same);
        Assert.Equal([45f, 39f, 66f, 50f], y.Value.ToArray());
    }

    [Fact]
    public void SameStride2TransposedScattersFromTheTopLeftAsTensorFlowDoes()
    {
        // Input pixel i reaches output rows 2i, 2i + 1, 2i + 2; row 4 falls off the bottom.
        var x = Tensor.FromArray([1f, 2f, 3f, 4f], 1, 2, 2, 1);
        var ones = Tensor.FromArray(Enumerable.Repeat(1f, 9).ToArray(), 3, 3, 1, 1);
        var y = new Tape(recording: false).ConvTranspose2D(Var.Constant(x), Var.Constant(ones), Var.Constant(Tensor.Zeros(1)), 2, Padding.Same);
        Assert.Equal([1f, 1f, 3f, 2f, 1f, 1f, 3f, 2f, 4f, 4f, 10f, 6f, 3f, 3f, 7f, 4f], y.Value.ToArray());
    }

    [Fact]
    public void MismatchedShapesAreRejected()
    {
        var tape = new Tape(recording: false);
        var x = Var.Constant(Tensor.Zeros(1, 4, 4, 2));
        Assert.Throws<ArgumentException>(() => tape.Conv2D(x, Var.Constant(Tensor.Zeros(3, 3, 3, 1)), Var.Constant(Tensor.Zeros(1)), 1, Padding.Same));
        Assert.Throws<ArgumentException>(() => tape.Conv2D(x, Var.Constant(Tensor.Zeros(5, 5, 2, 1)), Var.Constant(Tensor.Zeros(1)), 1, Padding.Valid));
        Assert.Throws<ArgumentOutOfRangeException>(() => tape.ConvTranspose2D(x, Var.Constant(Tensor.Zeros(3, 3, 1, 2)), Var.Constant(Tensor.Zeros(1)), 2, Padding.Same, 2));
    }

    /// <summary>y[n, i, j, o] = b[o] + Σ x[n, i·s − padTop + r, j·s − padLeft + c, ch]·W[r, c, ch, o] over in-range pixels.</summary>
    private static float[] DirectConv(Tensor x, Tensor weight, Tensor bias, int stride, int padTop, int padLeft, int outH, int outW)
    {
        int batch = x.Shape[0], height = x.Shape[1], width = x.Shape[2], inC = x.Shape[3];
        int kernelH = weight.Shape[0], kernelW = weight.Shape[1], outC = weight.Shape[3];
        var xs = x.ToArray(); var ws = weight.ToArray(); var bs = bias.ToArray();
        var y = new float[batch * outH * outW * outC];
        for (int n = 0; n < batch; n++)
            for (int i = 0; i < outH; i++)
                for (int j = 0; j < outW; j++)
                    for (int o = 0; o < outC; o++)
                    {
                        double sum = bs[o];
                        for (int r = 0; r < kernelH; r++)
                            for (int c = 0; c < kernelW; c++)
                            {
                                int row = i * stride - padTop + r, col = j * stride - padLeft + c;
                                if (row < 0 || row >= height || col < 0 || col >= width) continue;
                                for (int ch = 0; ch < inC; ch++)
                                    sum += xs[((n * height + row) * width + col) * inC + ch] * ws[((r * kernelW + c) * inC + ch) * outC + o];
                            }
                        y[((n * outH + i) * outW + j) * outC + o] = (float)sum;
                    }
        return y;
    }

    /// <summary>Each input pixel times the kernel, added at output (i·s − padTop + r, j·s − padLeft + c), plus b.</summary>
    private static float[] DirectScatter(Tensor x, Tensor weight, Tensor bias, int stride, int padTop, int padLeft, int outH, int outW)
    {
        int batch = x.Shape[0], height = x.Shape[1], width = x.Shape[2], inC = x.Shape[3];
        int kernelH = weight.Shape[0], kernelW = weight.Shape[1], outC = weight.Shape[2];
        var xs = x.ToArray(); var ws = weight.ToArray(); var bs = bias.ToArray();
        var y = new double[batch * outH * outW * outC];
        for (int p = 0; p < y.Length; p++) y[p] = bs[p % outC];
        for (int n = 0; n < batch; n++)
            for (int i = 0; i < height; i++)
                for (int j = 0; j < width; j++)
                    for (int ch = 0; ch < inC; ch++)
                        for (int r = 0; r < kernelH; r++)
                            for (int c = 0; c < kernelW; c++)
                            {
                                int row = i * stride - padTop + r, col = j * stride - padLeft + c;
                                if (row < 0 || row >= outH || col < 0 || col >= outW) continue;
                                for (int o = 0; o < outC; o++)
                                    y[((n * outH + row) * outW + col) * outC + o] +=
                                        xs[((n * height + i) * width + j) * inC + ch] * ws[((r * kernelW + c) * outC + o) * inC + ch];
                            }
        return y.Select(v => (float)v).ToArray();
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4f * (1 + Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]}, got {actual[i]}");
    }
}

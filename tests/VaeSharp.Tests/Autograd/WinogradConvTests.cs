using VaeSharp.Autograd;
using VaeSharp.Tensors;
using static VaeSharp.Tests.Autograd.GradientCheck;

namespace VaeSharp.Tests.Autograd;

/// <summary>
/// The stride-1 3×3 convolutions that go through Winograd's F(2×2, 3×3): y and dx against sums in double, within the
/// rounding bound the transforms allow, and the gradients against finite differences.
/// </summary>
public class WinogradConvTests
{
    // |error| ≤ Bound·ε·Σ|terms| for every output: a float32 sum of n terms in any order stays within n·ε·Σ|terms|,
    // and the transforms add at most 9 values per transformed input and 9 products per output, each exactly halved
    // or not, so the measured worst over these shapes (about 3.1) sits far below this. A bug is of the size of a term.
    private const double Bound = 16;

    private readonly Rng _rng = new(13);

    [Theory]
    // batch, height, width, inC, outC, padding, relu
    [InlineData(3, 14, 14, 64, 64, Padding.Same, true)] // the conv preset's 64 → 64 layers
    [InlineData(2, 7, 9, 16, 24, Padding.Same, false)] // odd sides: the last row and column of tiles half outside
    [InlineData(2, 8, 7, 24, 16, Padding.Valid, false)]
    [InlineData(1, 3, 3, 16, 16, Padding.Valid, false)] // one output pixel: a single tile, three quarters outside
    public void YAndDxMatchSumsInDoubleWithinTheRoundingBound(int batch, int height, int width, int inC, int outC,
        Padding padding, bool relu)
    {
        var x = Uniform(_rng, -1, 1, batch, height, width, inC);
        var weight = Uniform(_rng, -1, 1, 3, 3, inC, outC);
        var bias = Uniform(_rng, -1, 1, outC);
        var geometry = ConvGeometry.ForConv(x.Shape, 3, 3, 1, padding);
        Xunit.Assert.True(WinogradConv.Fits(geometry, outC));
        var leaves = new[] { new Var(x, requiresGrad: true), new Var(weight, requiresGrad: false), new Var(bias, requiresGrad: false) };
        var tape = new Tape();
        var y = tape.Conv2D(leaves[0], leaves[1], leaves[2], 1, padding, relu);
        var r = Uniform(_rng, -1, 1, y.Shape.Size);
        tape.Backward(tape.Sum(tape.Mul(y, Var.Constant(new Tensor(y.Shape, r.ToArray())))));

        var (exactY, magnitudeY) = DirectConv(x, weight, bias, geometry);
        var ys = y.Value.ToArray();
        var gate = new float[ys.Length];
        for (int i = 0; i < ys.Length; i++)
        {
            double expected = relu ? Math.Max(exactY[i], 0) : exactY[i];
            AssertWithin(expected, ys[i], magnitudeY[i], $"y element {i}");
            gate[i] = relu && ys[i] <= 0 ? 0 : r.Span[i];
        }
        var (exactDx, magnitudeDx) = DirectInputGradient(gate, weight, geometry);
        var dx = leaves[0].Grad!.ToArray();
        for (int i = 0; i < dx.Length; i++)
            AssertWithin(exactDx[i], dx[i], magnitudeDx[i], $"dx element {i}");
    }

    [Theory]
    [InlineData(2, 4, 5, Padding.Same)]
    [InlineData(1, 5, 4, Padding.Valid)]
    public void GradientsMatchFiniteDifferences(int batch, int height, int width, Padding padding)
    {
        Xunit.Assert.True(WinogradConv.Fits(ConvGeometry.ForConv(new Shape(batch, height, width, 16), 3, 3, 1, padding), 16));
        GradientCheck.Assert((tape, v) => tape.Conv2D(v[0], v[1], v[2], 1, padding),
        [
            Uniform(_rng, -1, 1, batch, height, width, 16),
            Uniform(_rng, -1, 1, 3, 3, 16, 16),
            Uniform(_rng, -1, 1, 16),
        ]);
    }

    [Fact]
    public void InferenceWithAPreparedKernelGivesTheFreshYAndFollowsAChangedKernel()
    {
        var x = Uniform(_rng, -1, 1, 2, 6, 5, 16);
        var weight = Uniform(_rng, -1, 1, 3, 3, 16, 16);
        var bias = Uniform(_rng, -1, 1, 16);
        var prepared = new PreparedKernel();
        float[] Fresh() => new Tape().Conv2D(Var.Constant(x), Var.Constant(weight), Var.Constant(bias), 1, Padding.Same, relu: true).Value.ToArray();
        float[] Kept() => new Tape(recording: false)
            .Conv2D(Var.Constant(x), Var.Constant(weight), Var.Constant(bias), 1, Padding.Same, relu: true, prepared).Value.ToArray();

        Xunit.Assert.Equal(Fresh(), Kept()); // prepares the kernel
        Xunit.Assert.Equal(Fresh(), Kept()); // reuses it
        weight.Span[100] += 0.25f;
        Xunit.Assert.Equal(Fresh(), Kept()); // prepares it again
    }

    [Fact]
    public void APreparedKernelIsFoundOnlyWhileTheKernelsBitsMatch()
    {
        var kernel = new Tensor(new Shape(3), [1f, 0f, 2f]);
        var prepared = new PreparedKernel();
        Xunit.Assert.Null(prepared.Find(kernel));

        var first = prepared.Keep(kernel, new Tensor(new Shape(1)));
        Xunit.Assert.Same(first, prepared.Find(kernel));
        kernel.Span[1] = -0f; // equal as a float, but a different kernel to transform bit for bit
        Xunit.Assert.Null(prepared.Find(kernel));
        var second = prepared.Keep(kernel, new Tensor(new Shape(1)));
        Xunit.Assert.NotSame(first, second);
        Xunit.Assert.Same(second, prepared.Find(kernel));
    }

    [Theory]
    [InlineData(3, 2, 64, 64)] // stride 2
    [InlineData(3, 1, 8, 64)] // too few channels in
    [InlineData(3, 1, 64, 20)] // not whole vectors out
    [InlineData(1, 1, 64, 64)] // not 3×3
    public void OnlyStride1ThreeByThreeConvolutionsOfWholeVectorsGoThisWay(int kernel, int stride, int inC, int outC) =>
        Xunit.Assert.False(WinogradConv.Fits(ConvGeometry.ForConv(new Shape(2, 14, 14, inC), kernel, kernel, stride, Padding.Same), outC));

    private static void AssertWithin(double expected, float actual, double magnitude, string what) =>
        Xunit.Assert.True(Math.Abs(actual - expected) <= Bound * Math.Pow(2, -24) * magnitude,
            $"{what}: expected {expected}, got {actual}, {Math.Abs(actual - expected) / (Math.Pow(2, -24) * magnitude):F2} ε·Σ|terms| off");

    /// <summary>y = b + Σ x·W over each window, and Σ |b| + |x·W|, in double.</summary>
    private static (double[] Y, double[] Magnitude) DirectConv(Tensor x, Tensor weight, Tensor bias, ConvGeometry g)
    {
        int outC = weight.Shape[3];
        var xs = x.ToArray(); var ws = weight.ToArray(); var bs = bias.ToArray();
        var y = new double[g.Batch * g.OutH * g.OutW * outC];
        var magnitude = new double[y.Length];
        for (int n = 0; n < g.Batch; n++)
            for (int i = 0; i < g.OutH; i++)
                for (int j = 0; j < g.OutW; j++)
                    for (int o = 0; o < outC; o++)
                    {
                        int at = ((n * g.OutH + i) * g.OutW + j) * outC + o;
                        y[at] = bs[o];
                        magnitude[at] = Math.Abs(bs[o]);
                        for (int r = 0; r < 3; r++)
                            for (int c = 0; c < 3; c++)
                            {
                                int row = i - g.PadTop + r, col = j - g.PadLeft + c;
                                if (row < 0 || row >= g.Height || col < 0 || col >= g.Width) continue;
                                for (int ch = 0; ch < g.Channels; ch++)
                                {
                                    double term = (double)xs[((n * g.Height + row) * g.Width + col) * g.Channels + ch] *
                                        ws[((r * 3 + c) * g.Channels + ch) * outC + o];
                                    y[at] += term;
                                    magnitude[at] += Math.Abs(term);
                                }
                            }
                    }
        return (y, magnitude);
    }

    /// <summary>dx = Σ dy·W over every window that reads the pixel, and Σ |dy·W|, in double.</summary>
    private static (double[] Dx, double[] Magnitude) DirectInputGradient(float[] dy, Tensor weight, ConvGeometry g)
    {
        int outC = weight.Shape[3];
        var ws = weight.ToArray();
        var dx = new double[g.Batch * g.Height * g.Width * g.Channels];
        var magnitude = new double[dx.Length];
        for (int n = 0; n < g.Batch; n++)
            for (int i = 0; i < g.OutH; i++)
                for (int j = 0; j < g.OutW; j++)
                    for (int r = 0; r < 3; r++)
                        for (int c = 0; c < 3; c++)
                        {
                            int row = i - g.PadTop + r, col = j - g.PadLeft + c;
                            if (row < 0 || row >= g.Height || col < 0 || col >= g.Width) continue;
                            for (int ch = 0; ch < g.Channels; ch++)
                                for (int o = 0; o < outC; o++)
                                {
                                    double term = (double)dy[((n * g.OutH + i) * g.OutW + j) * outC + o] * ws[((r * 3 + c) * g.Channels + ch) * outC + o];
                                    int at = ((n * g.Height + row) * g.Width + col) * g.Channels + ch;
                                    dx[at] += term;
                                    magnitude[at] += Math.Abs(term);
                                }
                        }
        return (dx, magnitude);
    }
}

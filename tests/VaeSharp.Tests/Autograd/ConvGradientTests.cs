using VaeSharp.Autograd;
using VaeSharp.Tensors;
using static VaeSharp.Tests.Autograd.GradientCheck;

namespace VaeSharp.Tests.Autograd;

public class ConvGradientTests
{
    private readonly Rng _rng = new(11);

    [Theory]
    // batch, height, width, inC, outC, kernel, stride, padding
    [InlineData(2, 5, 5, 2, 3, 3, 1, Padding.Same)]
    [InlineData(2, 5, 5, 2, 3, 3, 2, Padding.Same)]
    [InlineData(2, 6, 6, 2, 3, 3, 2, Padding.Same)]
    [InlineData(2, 5, 5, 2, 3, 3, 1, Padding.Valid)]
    [InlineData(2, 6, 5, 2, 3, 3, 2, Padding.Valid)]
    [InlineData(2, 4, 4, 3, 2, 1, 1, Padding.Same)]
    [InlineData(1, 5, 5, 2, 3, 1, 2, Padding.Valid)]
    [InlineData(2, 4, 5, 8, 16, 3, 1, Padding.Same)] // dW through NarrowWeightGradient
    [InlineData(1, 4, 3, 8, 16, 1, 1, Padding.Valid)]
    public void Conv2D(int batch, int height, int width, int inC, int outC, int kernel, int stride, Padding padding) =>
        GradientCheck.Assert((tape, v) => tape.Conv2D(v[0], v[1], v[2], stride, padding),
        [
            Uniform(_rng, -1, 1, batch, height, width, inC),
            Uniform(_rng, -1, 1, kernel, kernel, inC, outC),
            Uniform(_rng, -1, 1, outC),
        ]);

    [Theory]
    // batch, height, width, inC, outC, kernel, stride, padding, outputPadding
    [InlineData(2, 3, 3, 2, 3, 3, 2, Padding.Same, 0)]
    [InlineData(2, 4, 4, 2, 3, 3, 2, Padding.Same, 0)]
    [InlineData(2, 3, 3, 2, 3, 3, 2, Padding.Same, 1)]
    [InlineData(2, 3, 3, 2, 3, 3, 1, Padding.Same, 0)]
    [InlineData(2, 3, 4, 2, 3, 3, 2, Padding.Valid, 0)]
    [InlineData(2, 3, 3, 2, 3, 3, 2, Padding.Valid, 1)]
    [InlineData(2, 3, 3, 3, 2, 1, 1, Padding.Valid, 0)]
    public void ConvTranspose2D(int batch, int height, int width, int inC, int outC, int kernel, int stride,
        Padding padding, int outputPadding) =>
        GradientCheck.Assert((tape, v) => tape.ConvTranspose2D(v[0], v[1], v[2], stride, padding, outputPadding),
        [
            Uniform(_rng, -1, 1, batch, height, width, inC),
            Uniform(_rng, -1, 1, kernel, kernel, outC, inC),
            Uniform(_rng, -1, 1, outC),
        ]);

    [Fact]
    public void GradientsFlowThroughAConvAndBackUp()
    {
        // The preset's pattern in small: a stride-2 conv down, a stride-2 transposed conv back to the input size.
        GradientCheck.Assert((tape, v) => tape.ConvTranspose2D(
                tape.Conv2D(v[0], v[1], v[2], 2, Padding.Same), v[3], v[4], 2, Padding.Same),
        [
            Uniform(_rng, -1, 1, 2, 4, 4, 2),
            Uniform(_rng, -1, 1, 3, 3, 2, 3), Uniform(_rng, -1, 1, 3),
            Uniform(_rng, -1, 1, 3, 3, 2, 3), Uniform(_rng, -1, 1, 2),
        ]);
    }
}

using VaeSharp.Autograd;
using VaeSharp.Tensors;
using static VaeSharp.Tests.Autograd.GradientCheck;

namespace VaeSharp.Tests.Autograd;

public class OpGradientTests
{
    private readonly Rng _rng = new(42);

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 4)]
    [InlineData(7, 2, 9)]
    public void Dense(int batch, int inputs, int outputs) => GradientCheck.Assert(
        (tape, v) => tape.Dense(v[0], v[1], v[2]),
        [Uniform(_rng, -1, 1, batch, inputs), Uniform(_rng, -1, 1, inputs, outputs), Uniform(_rng, -1, 1, outputs)]);

    // 9 rows and 40 columns reach the tiled kernel with edge tiles; 3 outputs the narrow kernel; 1 row the row kernel.
    // Biases of magnitude at least 0.5 and small weights keep every pre-activation away from ReLU's kink, on both sides.
    [Theory]
    [InlineData(9, 5, 40)]
    [InlineData(12, 7, 3)]
    [InlineData(1, 6, 4)]
    public void DenseRelu(int batch, int inputs, int outputs) => GradientCheck.Assert(
        (tape, v) => tape.Dense(v[0], v[1], v[2], relu: true),
        [Uniform(_rng, -1, 1, batch, inputs), Uniform(_rng, -0.05f, 0.05f, inputs, outputs), AwayFromZero(_rng, 0.5f, 1.5f, outputs)]);

    // 37 columns leave a scalar tail after the vector loop at every vector width (8 and 16 lanes).
    [Theory]
    [InlineData(4, 6)]
    [InlineData(3, 37)]
    public void Relu(int rows, int cols) => GradientCheck.Assert((tape, v) => tape.Relu(v[0]), [AwayFromZero(_rng, 0.05f, 2, rows, cols)]);

    // 37 columns leave a scalar tail after the vector loop at every vector width (8 and 16 lanes).
    [Theory]
    [InlineData(4, 6)]
    [InlineData(3, 37)]
    public void Sigmoid(int rows, int cols) => GradientCheck.Assert((tape, v) => tape.Sigmoid(v[0]), [Uniform(_rng, -4, 4, rows, cols)]);

    // 37 columns leave a scalar tail after the vector loop at every vector width (8 and 16 lanes).
    [Theory]
    [InlineData(4, 6)]
    [InlineData(3, 37)]
    public void Tanh(int rows, int cols) => GradientCheck.Assert((tape, v) => tape.Tanh(v[0]), [Uniform(_rng, -2, 2, rows, cols)]);

    // 37 columns leave a scalar tail after the vector loop at every vector width (8 and 16 lanes).
    [Theory]
    [InlineData(4, 6)]
    [InlineData(3, 37)]
    public void Exp(int rows, int cols) => GradientCheck.Assert((tape, v) => tape.Exp(v[0]), [Uniform(_rng, -2, 2, rows, cols)]);

    // 37 columns leave a scalar tail after the vector loop at every vector width (8 and 16 lanes).
    [Theory]
    [InlineData(4, 6)]
    [InlineData(3, 37)]
    public void Softplus(int rows, int cols) => GradientCheck.Assert((tape, v) => tape.Softplus(v[0]), [Uniform(_rng, -5, 5, rows, cols)]);

    [Fact]
    public void Add() => GradientCheck.Assert((tape, v) => tape.Add(v[0], v[1]),
        [Uniform(_rng, -1, 1, 3, 4), Uniform(_rng, -1, 1, 3, 4)]);

    [Fact]
    public void Mul() => GradientCheck.Assert((tape, v) => tape.Mul(v[0], v[1]),
        [Uniform(_rng, -1, 1, 3, 4), Uniform(_rng, -1, 1, 3, 4)]);

    [Fact]
    public void Scale() => GradientCheck.Assert((tape, v) => tape.Scale(v[0], -2.5f), [Uniform(_rng, -1, 1, 3, 4)]);

    [Fact]
    public void Sum() => GradientCheck.Assert((tape, v) => tape.Sum(v[0]), [Uniform(_rng, -1, 1, 3, 4)]);

    [Fact]
    public void Mean() => GradientCheck.Assert((tape, v) => tape.Mean(v[0]), [Uniform(_rng, -1, 1, 3, 4)]);

    [Fact]
    public void Concat() => GradientCheck.Assert((tape, v) => tape.Concat(v[0], v[1]),
        [Uniform(_rng, -1, 1, 3, 2), Uniform(_rng, -1, 1, 3, 5)]);

    [Fact]
    public void Reshape() => GradientCheck.Assert((tape, v) => tape.Reshape(v[0], 6, 2), [Uniform(_rng, -1, 1, 3, 4)]);

    [Fact]
    public void BinaryCrossEntropyWithLogits_GradientReachesLogits()
    {
        var targets = Uniform(_rng, 0, 1, 3, 5);
        GradientCheck.Assert((tape, v) => tape.BinaryCrossEntropyWithLogits(v[0], Var.Constant(targets)),
            [Uniform(_rng, -6, 6, 3, 5)]);
    }

    [Fact]
    public void SquaredError_GradientReachesPrediction()
    {
        var targets = Uniform(_rng, 0, 1, 3, 5);
        GradientCheck.Assert((tape, v) => tape.SquaredError(v[0], Var.Constant(targets)), [Uniform(_rng, -1, 2, 3, 5)]);
    }

    [Fact]
    public void SoftmaxCrossEntropy_GradientReachesLogits() => GradientCheck.Assert(
        (tape, v) => tape.SoftmaxCrossEntropy(v[0], [2, 0, 4]), [Uniform(_rng, -3, 3, 3, 5)]);

    [Fact]
    public void GaussianKl() => GradientCheck.Assert((tape, v) => tape.GaussianKl(v[0], v[1]),
        [Uniform(_rng, -2, 2, 4, 3), Uniform(_rng, -3, 1.5f, 4, 3)]);

    [Fact]
    public void GaussianKlBetween_GradientReachesBothDistributions() => GradientCheck.Assert(
        (tape, v) => tape.GaussianKlBetween(v[0], v[1], v[2], v[3]),
        [Uniform(_rng, -2, 2, 4, 3), Uniform(_rng, -3, 1.5f, 4, 3), Uniform(_rng, -2, 2, 4, 3), Uniform(_rng, -3, 1.5f, 4, 3)]);

    [Fact]
    public void Reparameterize()
    {
        var eps = Uniform(_rng, -2, 2, 4, 3);
        GradientCheck.Assert((tape, v) => tape.Reparameterize(v[0], v[1], Var.Constant(eps)),
            [Uniform(_rng, -2, 2, 4, 3), Uniform(_rng, -3, 1.5f, 4, 3)]);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(37)] // a hidden width with a scalar tail behind the vector loops
    public void ComposedMlp_GradientFlowsThroughEveryLayer(int hidden) => GradientCheck.Assert(
        (tape, v) => tape.Sigmoid(tape.Dense(tape.Softplus(tape.Dense(v[0], v[1], v[2])), v[3], v[4])),
        [Uniform(_rng, -1, 1, 2, 3), Uniform(_rng, -1, 1, 3, hidden), Uniform(_rng, -1, 1, hidden), Uniform(_rng, -1, 1, hidden, 2), Uniform(_rng, -1, 1, 2)]);
}

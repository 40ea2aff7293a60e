using VaeSharp.Autograd;
using VaeSharp.Nn;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Nn;

public class ParameterSetTests
{
    [Fact]
    public void SealMovesValuesIntoOneFlatBufferAndKeepsThem()
    {
        var parameters = new ParameterSet();
        var dense = new Dense(parameters, "layer", 3, 2, WeightInit.Glorot, new Rng(5));
        var before = dense.Weight.Value.ToArray();
        parameters.Seal();
        Assert.Equal(3 * 2 + 2, parameters.Count);
        Assert.Same(parameters.Values, dense.Weight.Value.Buffer);
        Assert.Same(parameters.Values, dense.Bias.Value.Buffer);
        Assert.Equal(before, dense.Weight.Value.ToArray());
        Assert.Same(parameters.Gradients, dense.Weight.Grad!.Buffer);
    }

    [Fact]
    public void BackwardAccumulatesIntoTheFlatGradients()
    {
        var parameters = new ParameterSet();
        var dense = new Dense(parameters, "layer", 2, 1, WeightInit.Glorot, new Rng(5));
        parameters.Seal();
        var tape = new Tape();
        var x = Var.Constant(Tensor.FromArray([1f, 2f], 1, 2));
        tape.Backward(tape.Sum(dense.Forward(tape, x)));
        Assert.Equal([1f, 2f, 1f], parameters.Gradients); // dW = xᵀ, db = 1
        parameters.ZeroGradients();
        Assert.All(parameters.Gradients, g => Assert.Equal(0f, g));
    }

    [Fact]
    public void DuplicateNamesAreRejected()
    {
        var parameters = new ParameterSet();
        parameters.Add("a", new Shape(1));
        Assert.Throws<ArgumentException>(() => parameters.Add("a", new Shape(1)));
    }

    [Fact]
    public void GlorotUniformStaysWithinItsLimitAndIsSeeded()
    {
        var first = new float[1000];
        var second = new float[1000];
        Init.GlorotUniform(first, 784, 512, new Rng(3));
        Init.GlorotUniform(second, 784, 512, new Rng(3));
        float limit = MathF.Sqrt(6f / (784 + 512));
        Assert.All(first, w => Assert.InRange(w, -limit, limit));
        Assert.Equal(first, second);
    }
}

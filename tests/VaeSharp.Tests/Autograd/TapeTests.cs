using VaeSharp.Autograd;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Autograd;

public class TapeTests
{
    [Fact]
    public void GradientsAccumulateWhenAValueIsUsedTwice()
    {
        // y = x·x + x → dy/dx = 2x + 1 = 7 at x = 3.
        var tape = new Tape();
        var x = new Var(Tensor.FromArray([3f], 1), requiresGrad: true);
        var y = tape.Sum(tape.Add(tape.Mul(x, x), x));
        tape.Backward(y);
        Assert.Equal(7f, x.Grad!.Span[0]);
    }

    [Fact]
    public void InferenceTapeRecordsNothing()
    {
        var tape = new Tape(recording: false);
        var x = new Var(Tensor.FromArray([1f, -1f], 2), requiresGrad: true);
        var y = tape.Relu(x);
        Assert.False(y.RequiresGrad);
        Assert.Equal(0, tape.Count);
        Assert.Throws<InvalidOperationException>(() => tape.Backward(tape.Sum(y)));
    }

    [Fact]
    public void ResetRecyclesBuffersAcrossSteps()
    {
        var tape = new Tape();
        var x = new Var(Tensor.FromArray([1f, 2f], 1, 2), requiresGrad: true);
        var first = tape.Relu(x).Value.Buffer;
        tape.Reset();
        var second = tape.Relu(x).Value.Buffer;
        Assert.Same(first, second);
    }

    [Fact]
    public void BackwardRejectsANonScalarLoss()
    {
        var tape = new Tape();
        var x = new Var(Tensor.FromArray([1f, 2f], 2), requiresGrad: true);
        Assert.Throws<ArgumentException>(() => tape.Backward(tape.Relu(x)));
    }
}

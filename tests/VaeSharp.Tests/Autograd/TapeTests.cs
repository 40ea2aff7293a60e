using VaeSharp.Autograd;
using VaeSharp.Models;
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

    // keras-mlp's 784 → 512 and 512 → 784 layers take packed weights from 5 rows up, impute-vaeac's 1568 → 400 and
    // 400 → 784 too; at 1 and 3 rows the row kernel reads the weights as they are.
    [Theory]
    [InlineData("keras-mlp", 40)]
    [InlineData("keras-mlp", 1)]
    [InlineData("impute-vaeac", 40)]
    [InlineData("impute-vaeac", 3)]
    public void AFixedWeightsTapeGivesAPlainTapesBitsBatchAfterBatch(string preset, int batch)
    {
        var model = new VaeModel(Preset.Find(preset)!.Spec, new Rng(4));
        var x = new Tensor(new Shape(batch, model.InputSize)); // (batch, in)
        new Rng(5).FillGaussian(x.Span);
        var plain = new Tape(recording: false);
        var fixedWeights = new Tape(recording: false, fixedWeights: true);
        Assert.True(fixedWeights.HasFixedWeights);
        Assert.False(plain.HasFixedWeights);
        float[] expected = Pass(model, plain, x);
        for (int call = 0; call < 3; call++) Assert.Equal(expected, Pass(model, fixedWeights, x));

        // The weights change: a new tape sees them.
        foreach (var (_, parameter) in model.Parameters.Entries) System.Numerics.Tensors.TensorPrimitives.Multiply(parameter.Value.Span, 0.5f, parameter.Value.Span);
        Assert.Equal(Pass(model, new Tape(recording: false), x), Pass(model, new Tape(recording: false, fixedWeights: true), x));
    }

    // One packed copy of each weight serves every batch size: the tiled kernel's panels, which the row kernel also reads.
    [Fact]
    public void AFixedWeightsTapeKeepsAPlainTapesBitsAcrossBatchSizes()
    {
        var model = new VaeModel(Preset.KerasMlp.Spec, new Rng(6));
        var fixedWeights = new Tape(recording: false, fixedWeights: true);
        foreach (int batch in new[] { 40, 1, 3, 40 })
        {
            var x = new Tensor(new Shape(batch, model.InputSize)); // (batch, in)
            new Rng((ulong)batch).FillGaussian(x.Span);
            Assert.Equal(Pass(model, new Tape(recording: false), x), Pass(model, fixedWeights, x));
        }
    }

    [Fact]
    public void ARecordingTapeCannotHaveFixedWeights()
    {
        var error = Assert.Throws<ArgumentException>(() => new Tape(recording: true, fixedWeights: true));
        Assert.Contains("not fixed", error.Message);
    }

    // Encode, then decode the means: every dense layer and both heads, whose log-variances follow the probabilities.
    private static float[] Pass(VaeModel model, Tape tape, Tensor x)
    {
        var (mu, logVar) = model.Encode(tape, Var.Constant(x));
        float[] values = [.. tape.Sigmoid(model.DecodeLogits(tape, mu)).Value.ToArray(), .. logVar.Value.ToArray()];
        tape.Reset();
        return values;
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

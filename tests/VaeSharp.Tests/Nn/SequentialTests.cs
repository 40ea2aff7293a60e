using VaeSharp.Autograd;
using VaeSharp.Nn;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Nn;

/// <summary>A dense layer followed by a ReLU runs fused: the same values and gradients as the two ops apart.</summary>
public class SequentialTests
{
    [Theory]
    [InlineData(37, 50, 40)] // the tiled kernel, edge tiles on both sides
    [InlineData(300, 20, 6)] // the narrow kernel
    [InlineData(2, 30, 70)] // the row kernel
    public void DenseThenReluGivesTheSeparateOpsValuesAndGradientsBitForBit(int batch, int inputs, int outputs)
    {
        var rng = new Rng(3);
        var parameters = new ParameterSet();
        var dense = new Dense(parameters, "dense", inputs, outputs, WeightInit.FanInUniform, rng);
        var model = new Sequential([dense, new Activation(ActivationKind.Relu)]);
        var x = new Tensor(new Shape(batch, inputs)); // x: (batch, in)
        for (int i = 0; i < x.Size; i++) x.Span[i] = rng.NextUniform(-1, 1);
        var weights = new Tensor(new Shape(batch, outputs)); // weights: (batch, out), so each output's gradient differs
        for (int i = 0; i < weights.Size; i++) weights.Span[i] = rng.NextUniform(-1, 1);

        (float[] Y, float[] Dx, float[] DW, float[] DB) Run(Func<Tape, Var, Var> forward)
        {
            foreach (var (_, parameter) in dense.Parameters) parameter.Grad?.Span.Clear();
            var input = new Var(x, requiresGrad: true);
            var tape = new Tape();
            var y = forward(tape, input);
            tape.Backward(tape.Sum(tape.Mul(y, Var.Constant(weights))));
            return (y.Value.ToArray(), input.Grad!.ToArray(), dense.Weight.Grad!.ToArray(), dense.Bias.Grad!.ToArray());
        }

        var separate = Run((tape, input) => tape.Relu(tape.Dense(input, dense.Weight, dense.Bias)));
        var fused = Run(model.Forward);
        Assert.Contains(separate.Y, value => value == 0f); // some units are cut off, so the mask matters
        Assert.Equal(separate.Y, fused.Y);
        Assert.Equal(separate.Dx, fused.Dx);
        Assert.Equal(separate.DW, fused.DW);
        Assert.Equal(separate.DB, fused.DB);
    }
}

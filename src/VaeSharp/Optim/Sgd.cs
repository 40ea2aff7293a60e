using System.Numerics.Tensors;
using VaeSharp.Nn;

namespace VaeSharp.Optim;

/// <summary>Plain stochastic gradient descent: p ← p − lr·g.</summary>
public sealed class Sgd(ParameterSet parameters, float learningRate) : Optimizer(parameters, learningRate)
{
    /// <inheritdoc />
    public override OptimizerKind Kind => OptimizerKind.Sgd;

    /// <inheritdoc />
    public override IReadOnlyList<(string Name, float[] Values)> StateBuffers => [];

    /// <inheritdoc />
    public override void Step()
    {
        StepCount++;
        TensorPrimitives.MultiplyAdd(Parameters.Gradients, -LearningRate, Parameters.Values, Parameters.Values);
    }
}

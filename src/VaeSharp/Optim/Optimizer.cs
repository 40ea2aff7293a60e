using VaeSharp.Nn;

namespace VaeSharp.Optim;

/// <summary>Updates a sealed <see cref="ParameterSet"/> from its gradients, one flat loop per step.</summary>
public abstract class Optimizer
{
    /// <summary>Binds to <paramref name="parameters"/>, which must be sealed.</summary>
    protected Optimizer(ParameterSet parameters, float learningRate)
    {
        if (!parameters.IsSealed) throw new ArgumentException("seal the parameter set before creating an optimizer");
        if (!(learningRate > 0) || float.IsInfinity(learningRate))
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "learning rate must be positive");
        Parameters = parameters;
        LearningRate = learningRate;
    }

    /// <summary>The parameters being optimised.</summary>
    public ParameterSet Parameters { get; }

    /// <summary>The step size.</summary>
    public float LearningRate { get; set; }

    /// <summary>Number of steps taken.</summary>
    public long StepCount { get; protected set; }

    /// <summary>The optimizer's name in checkpoints.</summary>
    public abstract OptimizerKind Kind { get; }

    /// <summary>The per-parameter buffers a resumed run needs, by name, each (parameters).</summary>
    public abstract IReadOnlyList<(string Name, float[] Values)> StateBuffers { get; }

    /// <summary>Restores <see cref="StepCount"/> from a checkpoint; the buffers are restored in place.</summary>
    public void RestoreStepCount(long stepCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        StepCount = stepCount;
    }

    /// <summary>Applies one update from the current gradients.</summary>
    public abstract void Step();

    /// <summary>Creates the optimizer a name refers to, with its defaults.</summary>
    public static Optimizer Create(OptimizerKind kind, ParameterSet parameters, float learningRate) => kind switch
    {
        OptimizerKind.Adam => new Adam(parameters, learningRate),
        OptimizerKind.RmsProp => new RmsProp(parameters, learningRate),
        OptimizerKind.Sgd => new Sgd(parameters, learningRate),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

/// <summary>The optimizers a run can name.</summary>
public enum OptimizerKind
{
    /// <summary>Adam (Kingma and Ba, 2015).</summary>
    Adam,

    /// <summary>RMSprop (Tieleman and Hinton, 2012).</summary>
    RmsProp,

    /// <summary>Plain stochastic gradient descent.</summary>
    Sgd,
}

using System.Numerics;
using VaeSharp.Kernels;
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

    /// <summary>
    /// Runs <paramref name="update"/>(start, end) over slices that cover the parameters, one per thread of the GEMM
    /// budget (<see cref="Gemm.Threads"/>) once there are enough of them. A step reads and writes several buffers the
    /// size of the model and is bound by memory traffic, which a second core widens; each element's update is
    /// independent of the others, so the split never changes a result.
    /// </summary>
    private protected void UpdateSlices(Action<int, int> update)
    {
        const int MinSlice = 1 << 16;
        int count = Parameters.Count;
        int parts = Math.Min(Gemm.Threads, count / MinSlice);
        if (parts <= 1)
            update(0, count);
        else
            ParallelParts.Run(new Slices(update, count, parts), parts);
    }

    /// <summary>Part p of <paramref name="parts"/> covers a run of whole vectors; the last part takes the rest.</summary>
    private readonly struct Slices(Action<int, int> update, int count, int parts) : IPartBody
    {
        public void Run(int part)
        {
            int width = Vector<float>.Count;
            int start = (int)((long)count * part / parts) / width * width;
            int end = part == parts - 1 ? count : (int)((long)count * (part + 1) / parts) / width * width;
            update(start, end);
        }
    }

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

using System.Numerics;
using VaeSharp.Kernels;
using VaeSharp.Nn;

namespace VaeSharp.Optim;

/// <summary>RMSprop as in Keras: v ← ρv + (1−ρ)g², p ← p − lr·g / (√v + ε).</summary>
public sealed class RmsProp : Optimizer
{
    /// <summary>ρ, the decay of the squared-gradient average (Keras's default).</summary>
    public const float DefaultRho = 0.9f;

    /// <summary>ε, as in Keras.</summary>
    public const float DefaultEpsilon = 1e-7f;

    /// <summary>Creates RMSprop over <paramref name="parameters"/>.</summary>
    public RmsProp(ParameterSet parameters, float learningRate, float rho = DefaultRho, float epsilon = DefaultEpsilon)
        : base(parameters, learningRate)
    {
        Rho = rho;
        Epsilon = epsilon;
        MeanSquare = new float[parameters.Count];
    }

    /// <summary>ρ.</summary>
    public float Rho { get; }

    /// <summary>ε.</summary>
    public float Epsilon { get; }

    /// <summary>v: (parameters), the running mean of squared gradients.</summary>
    public float[] MeanSquare { get; }

    /// <inheritdoc />
    public override OptimizerKind Kind => OptimizerKind.RmsProp;

    /// <inheritdoc />
    public override IReadOnlyList<(string Name, float[] Values)> StateBuffers => [("rmsprop.mean_square", MeanSquare)];

    /// <inheritdoc />
    public override void Step()
    {
        StepCount++;
        UpdateSlices(Update);
    }

    // Elements [start, end) of p, g and v, each (parameters).
    private void Update(int start, int end)
    {
        float lr = LearningRate, rho = Rho, eps = Epsilon;
        Span<float> p = Parameters.Values.AsSpan(start..end), v = MeanSquare.AsSpan(start..end);
        ReadOnlySpan<float> g = Parameters.Gradients.AsSpan(start..end);
        // Same operations in the same order in the vector body and the scalar tail: identical rounding per element.
        int i = 0, width = Vector<float>.Count;
        var vRho = new Vector<float>(rho); var vDecay = new Vector<float>(1 - rho);
        var vLr = new Vector<float>(lr); var vEps = new Vector<float>(eps); var vNormal = new Vector<float>(Subnormals.SmallestNormal);
        for (; i <= p.Length - width; i += width)
        {
            var gi = new Vector<float>(g[i..]);
            var vi = Subnormals.FlushBelow(vRho * new Vector<float>(v[i..]) + vDecay * gi * gi, vNormal);
            vi.CopyTo(v[i..]);
            (new Vector<float>(p[i..]) - vLr * gi / (Vector.SquareRoot(vi) + vEps)).CopyTo(p[i..]);
        }
        for (; i < p.Length; i++)
        {
            float vi = v[i] = Subnormals.FlushBelow(rho * v[i] + (1 - rho) * g[i] * g[i], Subnormals.SmallestNormal);
            p[i] -= lr * g[i] / (MathF.Sqrt(vi) + eps);
        }
    }
}

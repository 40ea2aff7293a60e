using System.Numerics;
using VaeSharp.Kernels;
using VaeSharp.Nn;

namespace VaeSharp.Optim;

/// <summary>
/// Adam with bias correction: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − lr·m̂ / (√v̂ + ε).
/// </summary>
public sealed class Adam : Optimizer
{
    /// <summary>β₁, the decay of the first moment. The one place this default lives.</summary>
    public const float DefaultBeta1 = 0.9f;

    /// <summary>β₂, the decay of the second moment.</summary>
    public const float DefaultBeta2 = 0.999f;

    /// <summary>ε, as in Keras (PyTorch uses 1e-8).</summary>
    public const float DefaultEpsilon = 1e-7f;

    /// <summary>Creates Adam over <paramref name="parameters"/>.</summary>
    public Adam(ParameterSet parameters, float learningRate, float beta1 = DefaultBeta1, float beta2 = DefaultBeta2,
        float epsilon = DefaultEpsilon) : base(parameters, learningRate)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        FirstMoment = new float[parameters.Count];
        SecondMoment = new float[parameters.Count];
    }

    /// <summary>β₁.</summary>
    public float Beta1 { get; }

    /// <summary>β₂.</summary>
    public float Beta2 { get; }

    /// <summary>ε.</summary>
    public float Epsilon { get; }

    /// <summary>m: (parameters), the running mean of gradients.</summary>
    public float[] FirstMoment { get; }

    /// <summary>v: (parameters), the running mean of squared gradients.</summary>
    public float[] SecondMoment { get; }

    /// <inheritdoc />
    public override OptimizerKind Kind => OptimizerKind.Adam;

    /// <inheritdoc />
    public override IReadOnlyList<(string Name, float[] Values)> StateBuffers =>
        [("adam.first_moment", FirstMoment), ("adam.second_moment", SecondMoment)];

    /// <inheritdoc />
    public override void Step()
    {
        StepCount++;
        // Bias corrections folded into the step size and ε, as in the Adam paper's efficient form.
        double correction1 = 1 - Math.Pow(Beta1, StepCount), correction2 = 1 - Math.Pow(Beta2, StepCount);
        float stepSize = (float)(LearningRate / correction1);
        float sqrtCorrection2 = (float)Math.Sqrt(correction2);
        UpdateSlices((start, end) => Update(start, end, stepSize, sqrtCorrection2));
    }

    // Elements [start, end) of p, g, m and v, each (parameters).
    private void Update(int start, int end, float stepSize, float sqrtCorrection2)
    {
        float b1 = Beta1, b2 = Beta2, eps = Epsilon;
        Span<float> p = Parameters.Values.AsSpan(start..end), m = FirstMoment.AsSpan(start..end), v = SecondMoment.AsSpan(start..end);
        ReadOnlySpan<float> g = Parameters.Gradients.AsSpan(start..end);
        // The vector body does the scalar tail's operations in the same order, with no fused multiply-adds, so
        // every lane rounds exactly as the scalar code would and results do not depend on the vector width. m below
        // Subnormals.Negligible and v below 2^−126 go to zero: stepSize·m would be subnormal from 2^−126 / stepSize up.
        int i = 0, width = Vector<float>.Count;
        var vb1 = new Vector<float>(b1); var vc1 = new Vector<float>(1 - b1);
        var vb2 = new Vector<float>(b2); var vc2 = new Vector<float>(1 - b2);
        var vStep = new Vector<float>(stepSize); var vSqrt2 = new Vector<float>(sqrtCorrection2); var vEps = new Vector<float>(eps);
        var vMomentFloor = new Vector<float>(Subnormals.Negligible); var vNormal = new Vector<float>(Subnormals.SmallestNormal);
        for (; i <= p.Length - width; i += width)
        {
            var gi = new Vector<float>(g[i..]);
            var mi = Subnormals.FlushBelow(vb1 * new Vector<float>(m[i..]) + vc1 * gi, vMomentFloor);
            var vi = Subnormals.FlushBelow(vb2 * new Vector<float>(v[i..]) + vc2 * gi * gi, vNormal);
            mi.CopyTo(m[i..]);
            vi.CopyTo(v[i..]);
            (new Vector<float>(p[i..]) - vStep * mi / (Vector.SquareRoot(vi) / vSqrt2 + vEps)).CopyTo(p[i..]);
        }
        for (; i < p.Length; i++)
        {
            float gi = g[i];
            float mi = m[i] = Subnormals.FlushBelow(b1 * m[i] + (1 - b1) * gi, Subnormals.Negligible);
            float vi = v[i] = Subnormals.FlushBelow(b2 * v[i] + (1 - b2) * gi * gi, Subnormals.SmallestNormal);
            p[i] -= stepSize * mi / (MathF.Sqrt(vi) / sqrtCorrection2 + eps);
        }
    }
}

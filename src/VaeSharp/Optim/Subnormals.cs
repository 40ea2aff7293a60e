using System.Numerics;
using System.Runtime.CompilerServices;

namespace VaeSharp.Optim;

/// <summary>
/// Keeps subnormal floats (magnitude below 2^−126) out of the optimizers' running averages. A moment whose gradient
/// stays zero (a weight from a pixel that is rarely inked, a ReLU unit that stopped firing) decays geometrically
/// through the subnormal range, and on x86 an arithmetic operation with a subnormal operand or result takes a microcode
/// assist of about a hundred cycles: from keras-mlp's second epoch on, Adam's step grew from 3.5% of the training
/// samples to 25% (bench/README.md). Flushed, such a moment costs one assist and is exactly zero from then on.
/// </summary>
internal static class Subnormals
{
    /// <summary>The smallest normal float, 2^−126.</summary>
    public const float SmallestNormal = 1.17549435e-38f;

    /// <summary>x, or 0 where |x| is below <paramref name="floor"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> FlushBelow(Vector<float> x, Vector<float> floor) =>
        Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(x), floor), Vector<float>.Zero, x);

    /// <summary>x, or 0 where |x| is below <paramref name="floor"/>: the scalar form of the vector one, the same values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float FlushBelow(float x, float floor) => Math.Abs(x) < floor ? 0f : x;
}

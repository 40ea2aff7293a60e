using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace VaeSharp.Kernels;

/// <summary>
/// Keeps subnormal floats (magnitude below 2^−126) out of training. On x86 an arithmetic operation with a subnormal
/// operand or result takes a microcode assist of about a hundred cycles, and two things made them in bulk: an optimizer
/// moment whose gradient stays zero (a weight from a pixel that is rarely inked, a ReLU unit that stopped firing)
/// decays geometrically through the subnormal range, so that from keras-mlp's second epoch on Adam's step grew from
/// 3.5% of the training samples to 25%; and a background pixel's logit sinks until its gradient (e^z under BCE,
/// dy·y·(1 − y) ≈ 2y² under squared error) underflows, after which the products fed that gradient ran slower every
/// epoch (bench/README.md). Flushed, such a value costs one assist and is exactly zero from then on.
/// </summary>
internal static class Subnormals
{
    /// <summary>The smallest normal float, 2^−126.</summary>
    public const float SmallestNormal = 1.17549435e-38f;

    /// <summary>
    /// The largest |x| whose e^−|x| (and e^|x|, up to 2^127) is a normal float: an exponential of a capped argument never
    /// makes a subnormal, and past it 1 + e^−|x| is 1 in float anyway.
    /// </summary>
    public const float MaxExpArgument = 87.3f;

    /// <summary>
    /// 2^−100: a gradient or first moment below it is taken as zero. Whatever an optimizer makes of it is below
    /// lr·2^−100/ε (8e-27 at lr 1e-3 and ε 1e-7), under the last place of any weight above 1e-19, and any product it
    /// enters with a factor above 2^−26 stays normal.
    /// </summary>
    public const float Negligible = 7.88860905e-31f;

    /// <summary>x, or 0 where |x| is below <paramref name="floor"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> FlushBelow(Vector<float> x, Vector<float> floor) =>
        Vector.ConditionalSelect(Vector.LessThan(Vector.Abs(x), floor), Vector<float>.Zero, x);

    /// <summary>x, or 0 where |x| is below <paramref name="floor"/>, 16 lanes at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FlushBelow(Vector512<float> x, Vector512<float> floor) =>
        Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(x), floor), Vector512<float>.Zero, x);

    /// <summary>x, or 0 where |x| is below <paramref name="floor"/>: the scalar form of the vector one, the same values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float FlushBelow(float x, float floor) => Math.Abs(x) < floor ? 0f : x;
}

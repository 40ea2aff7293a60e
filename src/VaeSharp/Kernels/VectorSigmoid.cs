using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace VaeSharp.Kernels;

/// <summary>
/// 1 / (1 + e^−x) in float arithmetic throughout. TensorPrimitives.Sigmoid widens each vector to double for its
/// exponential, and keras-mlp's output sigmoid took 0.3 ms of a 5.5 ms inference pass at batch 1000; this one runs
/// the exponential in float (Cody and Waite's reduction by ln 2, Cephes's degree-7 polynomial for e^r on
/// |r| ≤ ln 2 / 2, then 2^n put into the exponent bits) and stays within 2 units in the last place of the exact value
/// down to 2^−126; below that, where the exact value is subnormal, it returns 1.21e-38 (VectorSigmoidTests measure
/// both). A tail shorter than a vector goes through the same vector code, so an element's bits do not depend on where
/// it sits in the span.
/// </summary>
internal static unsafe class VectorSigmoid
{
    // e^−x is taken for −x in ±Subnormals.MaxExpArgument, so 2^n stays a normal float: above 87.3 the sigmoid rounds
    // to 1 anyway, and below −87.3 it returns its value there, 1.21e-38, the smallest normal float or just above: never
    // a subnormal, which would cost every later operation on it a microcode assist.
    private const float Log2E = 1.44269504088896341f;
    // ln 2 split in two: n·LnTwoHigh is exact for the n that occur, so r = x − n·ln 2 loses nothing to cancellation.
    private const float LnTwoHigh = 0.693359375f, LnTwoLow = -2.12194440e-4f;
    // e^r ≈ 1 + r + r²·(P5 + r·(P4 + r·(P3 + r·(P2 + r·(P1 + r·P0))))) on |r| ≤ ln 2 / 2 (Cephes expf).
    private const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f;
    private const float P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    /// <summary>y = 1 / (1 + e^−x) for spans of equal length; y may be x.</summary>
    public static void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        int length = y.Length, width = Vector512.IsHardwareAccelerated ? Vector512<float>.Count : Vector256<float>.Count;
        float* tail = stackalloc float[Vector512<float>.Count]; // one vector's worth: the last partial vector, padded
        fixed (float* px = x, py = y)
        {
            int i = 0;
            for (; i + width <= length; i += width)
                OneVector(px + i, py + i);
            if (i == length) return;
            new Span<float>(tail, width).Clear();
            new ReadOnlySpan<float>(px + i, length - i).CopyTo(new Span<float>(tail, width));
            OneVector(tail, tail);
            new ReadOnlySpan<float>(tail, length - i).CopyTo(new Span<float>(py + i, length - i));
        }
    }

    // y = sigmoid(x) for one vector's worth of floats, Vector512 or Vector256 as the CPU has it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OneVector(float* x, float* y)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var t = Vector512.Clamp(-Vector512.Load(x), Vector512.Create(-Subnormals.MaxExpArgument), Vector512.Create(Subnormals.MaxExpArgument));
            var n = Vector512.Round(t * Vector512.Create(Log2E));
            var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-LnTwoLow), Vector512.FusedMultiplyAdd(n, Vector512.Create(-LnTwoHigh), t));
            var p = Vector512.FusedMultiplyAdd(Vector512.Create(P0), r, Vector512.Create(P1));
            p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P2));
            p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P3));
            p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P4));
            p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P5));
            var er = Vector512.FusedMultiplyAdd(p, r * r, r) + Vector512<float>.One;
            var scale = Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23).AsSingle(); // 2^n
            (Vector512<float>.One / Vector512.FusedMultiplyAdd(er, scale, Vector512<float>.One)).Store(y);
        }
        else
        {
            var t = Vector256.Clamp(-Vector256.Load(x), Vector256.Create(-Subnormals.MaxExpArgument), Vector256.Create(Subnormals.MaxExpArgument));
            var n = Vector256.Round(t * Vector256.Create(Log2E));
            var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-LnTwoLow), Vector256.FusedMultiplyAdd(n, Vector256.Create(-LnTwoHigh), t));
            var p = Vector256.FusedMultiplyAdd(Vector256.Create(P0), r, Vector256.Create(P1));
            p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P2));
            p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P3));
            p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P4));
            p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P5));
            var er = Vector256.FusedMultiplyAdd(p, r * r, r) + Vector256<float>.One;
            var scale = Vector256.ShiftLeft(Vector256.ConvertToInt32(n) + Vector256.Create(127), 23).AsSingle(); // 2^n
            (Vector256<float>.One / Vector256.FusedMultiplyAdd(er, scale, Vector256<float>.One)).Store(y);
        }
    }
}

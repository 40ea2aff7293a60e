using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace VaeSharp.Kernels;

/// <summary>
/// Packs rows of a row-major A into a GEMM panel (kc, Mr), and rows of a B stored (n, k) into a panel (k, Nr), eight
/// columns at a time with an 8×8 AVX transpose, where a scalar loop stored one float per instruction: that loop was
/// 17% of a conv training step on the managed GEMM.
/// </summary>
internal static unsafe class PanelTranspose
{
    /// <summary>Whether <see cref="Pack"/> can run here.</summary>
    public static bool IsSupported => Avx.IsSupported;

    /// <summary>
    /// dst[p·mr + i] = rows[i][p] for i &lt; mr (6 or 8) and p &lt; <paramref name="kc"/>; row i starts at
    /// <paramref name="src"/> + i·<paramref name="ld"/>. Returns how many leading p it packed, a multiple of 8: a
    /// 6-row panel stores 8 floats per p, so it stops while the two extra floats still land on later p's slots.
    /// </summary>
    public static int Pack(float* src, long ld, int mr, int kc, float* dst) => Transpose(src, ld, mr, kc, dst, mr);

    /// <summary>
    /// dst[p·<paramref name="stride"/> + i] = rows[i][p] for i &lt; 8 and p &lt; <paramref name="kc"/>: eight rows of
    /// a B stored (n, k) into their eight columns of a packed B panel (k, Nr). Returns how many leading p it packed.
    /// </summary>
    public static int PackEightColumns(float* src, long ld, int kc, float* dst, int stride) => Transpose(src, ld, 8, kc, dst, stride);

    private static int Transpose(float* src, long ld, int mr, int kc, float* dst, int stride)
    {
        int end = mr == 8 ? kc - 7 : kc - 8;
        int p = 0;
        for (; p < end; p += 8)
        {
            float* s = src + p;
            var r0 = Avx.LoadVector256(s); var r1 = Avx.LoadVector256(s + ld);
            var r2 = Avx.LoadVector256(s + 2 * ld); var r3 = Avx.LoadVector256(s + 3 * ld);
            var r4 = Avx.LoadVector256(s + 4 * ld); var r5 = Avx.LoadVector256(s + 5 * ld);
            var r6 = mr == 8 ? Avx.LoadVector256(s + 6 * ld) : Vector256<float>.Zero;
            var r7 = mr == 8 ? Avx.LoadVector256(s + 7 * ld) : Vector256<float>.Zero;
            // Pairs of rows interleaved, then pairs of pairs, then the 128-bit halves: column q of the 8×8 block.
            var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
            var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
            var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
            var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
            var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
            var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
            var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
            var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
            float* d = dst + p * stride;
            Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
            Avx.Store(d + stride, Avx.Permute2x128(u1, u5, 0x20));
            Avx.Store(d + 2 * stride, Avx.Permute2x128(u2, u6, 0x20));
            Avx.Store(d + 3 * stride, Avx.Permute2x128(u3, u7, 0x20));
            Avx.Store(d + 4 * stride, Avx.Permute2x128(u0, u4, 0x31));
            Avx.Store(d + 5 * stride, Avx.Permute2x128(u1, u5, 0x31));
            Avx.Store(d + 6 * stride, Avx.Permute2x128(u2, u6, 0x31));
            Avx.Store(d + 7 * stride, Avx.Permute2x128(u3, u7, 0x31));
        }
        return p;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace VaeSharp.Kernels;

/// <summary>
/// Register-tiled inner kernels for <see cref="ManagedGemm"/>: each computes an (Mr, Nr) tile of
/// <c>C += alpha·A·B</c> from an A micro-panel and a packed B micro-panel (kc, Nr). A's element (p, i) is
/// <c>a[p·step + i·lda]</c>: a packed panel (kc, Mr) has step Mr and lda 1, and Mr rows read where they are stored
/// (row-major, row stride k) have step 1 and lda k, as ONNX Runtime's MLAS reads A.
/// The accumulators are separate locals so the JIT keeps them all in registers across the k loop. The store is the
/// epilogue: it adds the products either to C or, for the first k block of an overwritten C, to a row of initial values
/// (a bias, or zeros), and can take max(·, 0) as the last k block leaves, so a dense layer's bias and ReLU cost no pass of their own.
/// </summary>
internal static unsafe class GemmMicroKernels
{
    /// <summary>Whether the 8×32 Vector512 tile is in use.</summary>
    public static bool Wide => Vector512.IsHardwareAccelerated;

    /// <summary>Rows of the tile: 8×32 fills 16 of the 32 zmm registers; 6×16 fits the 16 ymm registers of AVX2.</summary>
    public static int Mr => Vector512.IsHardwareAccelerated ? 8 : 6;

    /// <summary>Columns of the tile: two vectors wide.</summary>
    public static int Nr => Vector512.IsHardwareAccelerated ? 32 : 16;

    /// <summary>The widest vector the runtime accelerates here: Vector512, Vector256 or Vector128.</summary>
    public static string VectorPath => Vector512.IsHardwareAccelerated ? "Vector512"
        : Vector256.IsHardwareAccelerated ? "Vector256" : "Vector128";

    /// <summary>Describes the instruction set in use, for <see cref="Gemm.BackendDescription"/>.</summary>
    public static string Isa => Vector512.IsHardwareAccelerated ? "Vector512 FMA"
        : Fma.IsSupported ? "Vector256 FMA" : "Vector256";

    /// <summary>
    /// Writes <c>alpha·A·B + addend</c> into the tile at <paramref name="c"/> (row stride <paramref name="ldc"/>), where
    /// the addend is the tile itself, or the row <paramref name="init"/> (Nr floats, the same for every row) when given;
    /// with <paramref name="relu"/> each result is max(·, 0). A's element (p, i) is a[p·step + i·lda].
    /// </summary>
    public static void Tile(int kc, float* a, long lda, int step, float* b, float* c, int ldc, float alpha, float* init = null, bool relu = false)
    {
        if (Vector512.IsHardwareAccelerated)
            Tile8x32(kc, a, lda, step, b, c, ldc, alpha, init, relu);
        else
            Tile6x16(kc, a, lda, step, b, c, ldc, alpha, init, relu);
    }

    // a: element (p, i) at a[p·step + i·lda], i < 8; b: (kc, 32) packed; c: (8, 32) with row stride ldc; init: (32) or null
    private static void Tile8x32(int kc, float* a, long lda, int step, float* b, float* c, int ldc, float alpha, float* init, bool relu)
    {
        if (init == null) PrefetchRows(c, ldc, 8, 32);
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
        float* a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda, a6 = a5 + lda, a7 = a6 + lda;
        for (long q = 0, end = (long)kc * step; q < end; q += step, b += 32)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var x = Vector512.Create(a[q]); c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a1[q]); c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a2[q]); c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a3[q]); c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a4[q]); c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a5[q]); c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a6[q]); c60 = Avx512F.FusedMultiplyAdd(x, b0, c60); c61 = Avx512F.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a7[q]); c70 = Avx512F.FusedMultiplyAdd(x, b0, c70); c71 = Avx512F.FusedMultiplyAdd(x, b1, c71);
        }
        var s = Vector512.Create(alpha);
        Store(c, init, s, relu, c00, c01); Store(c + ldc, init, s, relu, c10, c11);
        Store(c + 2 * ldc, init, s, relu, c20, c21); Store(c + 3 * ldc, init, s, relu, c30, c31);
        Store(c + 4 * ldc, init, s, relu, c40, c41); Store(c + 5 * ldc, init, s, relu, c50, c51);
        Store(c + 6 * ldc, init, s, relu, c60, c61); Store(c + 7 * ldc, init, s, relu, c70, c71);
    }

    /// <summary>
    /// The left half of the 8×32 tile (Vector512 only), for a last B panel of at most 16 columns: the same sums as
    /// <see cref="Tile"/> gives those columns, with half the multiplies. b is still the (kc, 32) packed panel; c is (8, 16).
    /// </summary>
    public static void HalfTile(int kc, float* a, long lda, int step, float* b, float* c, int ldc, float alpha, float* init = null, bool relu = false)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        float* a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda, a6 = a5 + lda, a7 = a6 + lda;
        for (long q = 0, end = (long)kc * step; q < end; q += step, b += 32)
        {
            var b0 = Vector512.Load(b);
            c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[q]), b0, c0);
            c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(a1[q]), b0, c1);
            c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(a2[q]), b0, c2);
            c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(a3[q]), b0, c3);
            c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(a4[q]), b0, c4);
            c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(a5[q]), b0, c5);
            c6 = Avx512F.FusedMultiplyAdd(Vector512.Create(a6[q]), b0, c6);
            c7 = Avx512F.FusedMultiplyAdd(Vector512.Create(a7[q]), b0, c7);
        }
        var s = Vector512.Create(alpha);
        Store(c, init, s, relu, c0); Store(c + ldc, init, s, relu, c1); Store(c + 2 * ldc, init, s, relu, c2); Store(c + 3 * ldc, init, s, relu, c3);
        Store(c + 4 * ldc, init, s, relu, c4); Store(c + 5 * ldc, init, s, relu, c5); Store(c + 6 * ldc, init, s, relu, c6); Store(c + 7 * ldc, init, s, relu, c7);
    }

    // a: element (p, i) at a[p·step + i·lda], i < 6; b: (kc, 16) packed; c: (6, 16) with row stride ldc; init: (16) or null
    private static void Tile6x16(int kc, float* a, long lda, int step, float* b, float* c, int ldc, float alpha, float* init, bool relu)
    {
        if (init == null) PrefetchRows(c, ldc, 6, 16);
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default, c50 = default, c51 = default;
        float* a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
        for (long q = 0, end = (long)kc * step; q < end; q += step, b += 16)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(a[q]); c00 = MulAdd(x, b0, c00); c01 = MulAdd(x, b1, c01);
            x = Vector256.Create(a1[q]); c10 = MulAdd(x, b0, c10); c11 = MulAdd(x, b1, c11);
            x = Vector256.Create(a2[q]); c20 = MulAdd(x, b0, c20); c21 = MulAdd(x, b1, c21);
            x = Vector256.Create(a3[q]); c30 = MulAdd(x, b0, c30); c31 = MulAdd(x, b1, c31);
            x = Vector256.Create(a4[q]); c40 = MulAdd(x, b0, c40); c41 = MulAdd(x, b1, c41);
            x = Vector256.Create(a5[q]); c50 = MulAdd(x, b0, c50); c51 = MulAdd(x, b1, c51);
        }
        var s = Vector256.Create(alpha);
        Store(c, init, s, relu, c00, c01); Store(c + ldc, init, s, relu, c10, c11);
        Store(c + 2 * ldc, init, s, relu, c20, c21); Store(c + 3 * ldc, init, s, relu, c30, c31);
        Store(c + 4 * ldc, init, s, relu, c40, c41); Store(c + 5 * ldc, init, s, relu, c50, c51);
    }

    // The tile of C is read only after the k loop; asking for its lines first hides their trip from L3 behind the FMAs.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchRows(float* c, int ldc, int rows, int cols)
    {
        for (int i = 0; i < rows; i++, c += ldc)
        {
            Sse.Prefetch0(c);
            Sse.Prefetch0(c + cols - 1);
        }
    }

    /// <summary>x·y + acc, fused where the CPU has FMA; without it the product is rounded before the add. Either way the
    /// order is fixed, so results stay deterministic on one machine.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> MulAdd(Vector256<float> x, Vector256<float> y, Vector256<float> acc)
        => Fma.IsSupported ? Fma.MultiplyAdd(x, y, acc) : x * y + acc;

    // row = alpha·acc + (init ?? row), then max(·, 0) with the IEEE semantics of TensorPrimitives.Max, which the unfused ReLU uses.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* row, float* init, Vector512<float> alpha, bool relu, Vector512<float> sums)
    {
        var v = Avx512F.FusedMultiplyAdd(alpha, sums, Vector512.Load(init != null ? init : row));
        (relu ? Vector512.Max(v, Vector512<float>.Zero) : v).Store(row);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* row, float* init, Vector512<float> alpha, bool relu, Vector512<float> left, Vector512<float> right)
    {
        Store(row, init, alpha, relu, left);
        Store(row + 16, init != null ? init + 16 : null, alpha, relu, right);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* row, float* init, Vector256<float> alpha, bool relu, Vector256<float> sums)
    {
        var v = MulAdd(alpha, sums, Vector256.Load(init != null ? init : row));
        (relu ? Vector256.Max(v, Vector256<float>.Zero) : v).Store(row);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* row, float* init, Vector256<float> alpha, bool relu, Vector256<float> left, Vector256<float> right)
    {
        Store(row, init, alpha, relu, left);
        Store(row + 8, init != null ? init + 8 : null, alpha, relu, right);
    }
}

namespace VaeSharp.Kernels;

/// <summary>
/// Row-major single-precision matrix product <c>C = alpha·op(A)·op(B) + beta·C</c>, where op transposes when asked.
/// op(A) is (m, k), op(B) is (k, n) and C is (m, n); all three are dense and row-major.
/// PLACEHOLDER: the backends (OpenBLAS, managed SIMD) are being written; this naive loop defines the contract.
/// </summary>
public static class Gemm
{
    /// <summary>Computes <c>C = alpha·op(A)·op(B) + beta·C</c>.</summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c)
    {
        if (a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
            throw new ArgumentException($"GEMM spans too short for m={m} n={n} k={k}");
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float sum = 0;
                for (int p = 0; p < k; p++)
                    sum += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
                c[i * n + j] = alpha * sum + (beta == 0 ? 0 : beta * c[i * n + j]);
            }
    }
}

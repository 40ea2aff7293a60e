using System.Runtime.InteropServices;

namespace VaeSharp.Kernels;

/// <summary>
/// <c>cblas_sgemm</c> from a system OpenBLAS, bound at run time so the library still works where it is missing.
/// Function pointers rather than <c>DllImport</c> because the library name varies between distributions.
/// </summary>
internal sealed unsafe class OpenBlasGemm
{
    private const int CblasRowMajor = 101;
    private const int CblasNoTrans = 111;
    private const int CblasTrans = 112;

    private static readonly string[] LibraryNames = ["libopenblas.so.0", "libopenblas.so", "openblas"];

    // cblas_sgemm(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    private readonly delegate* unmanaged[Cdecl]<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private readonly delegate* unmanaged[Cdecl]<int, void> _setNumThreads;
    private readonly delegate* unmanaged[Cdecl]<int> _getNumThreads;

    private OpenBlasGemm(string libraryName, nint sgemm, nint setNumThreads, nint getNumThreads, nint getCoreName)
    {
        LibraryName = libraryName;
        CoreName = getCoreName == 0 ? "unknown" : Marshal.PtrToStringUTF8(((delegate* unmanaged[Cdecl]<nint>)getCoreName)()) ?? "unknown";
        _sgemm = (delegate* unmanaged[Cdecl]<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
        _setNumThreads = (delegate* unmanaged[Cdecl]<int, void>)setNumThreads;
        _getNumThreads = (delegate* unmanaged[Cdecl]<int>)getNumThreads;
    }

    /// <summary>The name under which the library was found.</summary>
    public string LibraryName { get; }

    /// <summary>The CPU kernel OpenBLAS chose at load time (<c>openblas_get_corename</c>), e.g. Haswell or SkylakeX.</summary>
    public string CoreName { get; }

    /// <summary>Whether that kernel uses AVX-512: the SkylakeX family (SkylakeX, Cooperlake, SapphireRapids).</summary>
    public bool HasAvx512Kernel => CoreName.Contains("skylakex", StringComparison.OrdinalIgnoreCase)
        || CoreName.Contains("cooperlake", StringComparison.OrdinalIgnoreCase)
        || CoreName.Contains("sapphirerapids", StringComparison.OrdinalIgnoreCase);

    /// <summary>OpenBLAS's own thread count, or 1 when the build exposes no thread control.</summary>
    public int Threads => _getNumThreads == null ? 1 : _getNumThreads();

    /// <summary>Loads OpenBLAS, or returns null with the reason it could not be used.</summary>
    public static OpenBlasGemm? TryLoad(out string? failure)
    {
        foreach (string name in LibraryNames)
        {
            if (!NativeLibrary.TryLoad(name, typeof(OpenBlasGemm).Assembly, null, out nint handle))
                continue;
            if (!NativeLibrary.TryGetExport(handle, "cblas_sgemm", out nint sgemm))
            {
                failure = $"{name} has no cblas_sgemm";
                return null;
            }
            // Thread control is optional: a single-threaded OpenBLAS build lacks it, and still multiplies fine.
            NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out nint setNumThreads);
            NativeLibrary.TryGetExport(handle, "openblas_get_num_threads", out nint getNumThreads);
            NativeLibrary.TryGetExport(handle, "openblas_get_corename", out nint getCoreName);
            failure = null;
            return new OpenBlasGemm(name, sgemm, setNumThreads, getNumThreads, getCoreName);
        }
        failure = "OpenBLAS not found (" + string.Join(", ", LibraryNames) + ")";
        return null;
    }

    /// <summary>Sets OpenBLAS's thread count, where the build allows it.</summary>
    public void SetThreads(int threads)
    {
        if (_setNumThreads != null)
            _setNumThreads(threads);
    }

    /// <summary>
    /// Same contract as <see cref="Gemm.Multiply"/>. The caller has validated lengths and handled m, n or k of zero,
    /// because CBLAS rejects leading dimensions of zero.
    /// </summary>
    public void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c)
    {
        // a: (m, k), or (k, m) when transA; b: (k, n), or (n, k) when transB; c: (m, n); all row-major
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        fixed (float* pa = a, pb = b, pc = c)
        {
            _sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                m, n, k, alpha, pa, lda, pb, ldb, beta, pc, n);
        }
    }
}

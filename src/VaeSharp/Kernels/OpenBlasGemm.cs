using System.Runtime.InteropServices;
using System.Text;

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

    /// <summary>How long OpenBLAS's idle threads spin before they sleep: 2^value cycles; it reads this when it loads.</summary>
    internal const string ThreadTimeoutVariable = "OPENBLAS_THREAD_TIMEOUT";

    /// <summary>The timeout we set when the user has not: 2^4 cycles, the least OpenBLAS takes.</summary>
    internal const string ThreadTimeout = "4";

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
        SleepIdleThreadsAtOnce();
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

    /// <summary>
    /// By default OpenBLAS's idle threads spin on <c>sched_yield</c> for 2^28 cycles after each product, so in a
    /// training step the managed ops between products share both cores with them: a fifth of an impute-vaeac epoch's
    /// samples were in <c>sched_yield</c>. Sleeping at once made keras-mlp, impute-vaeac and conv train 1.04, 1.06 and
    /// 1.16 times faster and left back-to-back products about as fast (bench/README.md). OpenBLAS reads the variable
    /// from the C environment when it loads, so it is set there, with libc's <c>setenv</c>, before the load; a value
    /// the user set is kept.
    /// </summary>
    private static void SleepIdleThreadsAtOnce()
    {
        if (!NativeLibrary.TryLoad("libc.so.6", out nint libc) || !NativeLibrary.TryGetExport(libc, "setenv", out nint setenv))
            return;
        fixed (byte* name = Encoding.UTF8.GetBytes(ThreadTimeoutVariable + "\0"), value = Encoding.UTF8.GetBytes(ThreadTimeout + "\0"))
            ((delegate* unmanaged[Cdecl]<byte*, byte*, int, int>)setenv)(name, value, 0); // 0: keep a value already there
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

namespace VaeSharp.Kernels;

/// <summary>Which implementation carries out <see cref="Gemm.Multiply"/>.</summary>
public enum GemmBackend
{
    /// <summary><c>cblas_sgemm</c> from the system's OpenBLAS.</summary>
    OpenBlas,

    /// <summary>The built-in cache-blocked SIMD kernel.</summary>
    Managed,
}

/// <summary>
/// Row-major single-precision matrix product <c>C = alpha·op(A)·op(B) + beta·C</c>, where op transposes when asked.
/// op(A) is (m, k), op(B) is (k, n) and C is (m, n); all three are dense and row-major.
/// The backend is chosen once, when the class is first used: <c>VAESHARP_GEMM=openblas|managed</c> forces one.
/// Otherwise OpenBLAS is used when it loads, unless the CPU has AVX-512 and OpenBLAS picked a kernel without it
/// (OpenBLAS 0.3.21 runs its AVX2 Haswell kernel on AMD Zen 4). There the managed Vector512 kernel, measured 1.2 to
/// 1.8 times faster on one thread at the MLP presets' layer shapes and 0.97 to 1.7 times on two, takes every product
/// at least one 8×32 tile in size, and
/// OpenBLAS, kept to the calling thread so the two never compete for cores, takes the narrower ones (a latent of 20),
/// where most of a tile would be padding (bench/README.md). Whatever the backend, a C of at most
/// <see cref="RowGemm.MaxRows"/> rows (inference on one example) goes to the managed row kernel, unless
/// <c>VAESHARP_GEMM=openblas</c>; and on the managed backend a C at most <see cref="NarrowGemm.MaxColumns"/> wide from
/// an untransposed A (the mu and log-variance heads of a latent of 2) goes to the narrow kernel, which ran keras-mlp's
/// 1000×512×2 heads in 65 µs where OpenBLAS's one-thread Prescott kernel took 215 µs. A dense layer from a latent
/// (<see cref="MultiplyAffine"/> with k at most 16) runs managed on either backend unless OpenBLAS is forced.
/// </summary>
public static class Gemm
{
    private const string BackendVariable = "VAESHARP_GEMM";

    // The project's only static mutable state (design §7): the backend, chosen here once, and the thread budget.
    private static readonly OpenBlasGemm? OpenBlas = OpenBlasGemm.TryLoad(out OpenBlasFailure);
    private static readonly string? OpenBlasFailure;
    private static readonly (GemmBackend Backend, string? Why, bool NarrowToOpenBlas, bool FewRowsToManaged) Choice = Choose();
    private static int _threads = Environment.ProcessorCount;

    /// <summary>The backend that <see cref="Multiply"/> uses.</summary>
    public static GemmBackend Backend => Choice.Backend;

    /// <summary>
    /// The active backend in words, with the library or instruction set, the thread count, and why OpenBLAS is not
    /// in use when it is not; for example <c>openblas (libopenblas.so.0, 2 threads)</c>.
    /// </summary>
    public static string BackendDescription => (Backend == GemmBackend.OpenBlas
        ? $"openblas ({OpenBlas!.LibraryName}, {OpenBlas.CoreName} kernel, {OpenBlas.Threads} threads" +
          (Choice.FewRowsToManaged ? $"; products of at most {RowGemm.MaxRows} rows run managed)" : ")")
        : $"managed ({GemmMicroKernels.Isa}, {Volatile.Read(ref _threads)} threads; {Choice.Why})") + IgnoredForce;

    /// <summary>"; VAESHARP_GEMM=x is neither openblas nor managed, so it is ignored", or nothing: a typo must not pass unseen.</summary>
    private static readonly string IgnoredForce =
        Environment.GetEnvironmentVariable(BackendVariable)?.Trim() is { Length: > 0 } forced && forced.ToLowerInvariant() is not ("managed" or "openblas")
            ? $"; {BackendVariable}={forced} is neither openblas nor managed, so it is ignored"
            : "";

    /// <summary>Whether OpenBLAS loaded, whichever backend was chosen.</summary>
    internal static bool OpenBlasAvailable => OpenBlas != null;

    /// <summary>The thread budget set by <see cref="SetThreads"/>; <see cref="Environment.ProcessorCount"/> until then.</summary>
    public static int Threads => Volatile.Read(ref _threads);

    /// <summary>
    /// Sets the thread budget of both backends: OpenBLAS's own thread count and the managed kernel's degree of
    /// parallelism. The default is <see cref="Environment.ProcessorCount"/>. With a fixed count, results are repeatable.
    /// </summary>
    /// <param name="threads">At least 1.</param>
    public static void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Volatile.Write(ref _threads, threads);
        OpenBlas?.SetThreads(Choice.NarrowToOpenBlas ? 1 : threads);
    }

    /// <summary>Computes <c>C = alpha·op(A)·op(B) + beta·C</c> on the active backend.</summary>
    /// <param name="transA">Whether A is stored (k, m) and used transposed.</param>
    /// <param name="transB">Whether B is stored (n, k) and used transposed.</param>
    /// <param name="m">Rows of op(A) and of C.</param>
    /// <param name="n">Columns of op(B) and of C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">At least m·k elements.</param>
    /// <param name="b">At least k·n elements.</param>
    /// <param name="beta">Scale of the old C; when 0, C is overwritten and its old contents (even NaN) are ignored.</param>
    /// <param name="c">At least m·n elements; receives the result.</param>
    /// <exception cref="ArgumentException">A size is negative or a span is too short.</exception>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c)
    {
        // A C of a few rows goes to RowGemm on either backend: it ran 2.1 to 3.2 times faster than OpenBLAS's sgemm at
        // one row (bench/README.md), which pays for packing and its threads on a product that reads op(B) once.
        MultiplyWith(BackendFor(m, n, transA), transA, transB, m, n, k, alpha, a, b, beta, c);
    }

    private static GemmBackend BackendFor(int m, int n, bool transA)
    {
        bool fewRows = m <= RowGemm.MaxRows;
        bool narrow = (m < GemmMicroKernels.Mr || n < GemmMicroKernels.Nr) && !fewRows
            && (n > NarrowGemm.MaxColumns || transA);
        return fewRows && Choice.FewRowsToManaged ? GemmBackend.Managed
            : Choice.NarrowToOpenBlas && narrow ? GemmBackend.OpenBlas : Backend;
    }

    /// <summary>
    /// A dense layer: y = x·W + bias for x (m, k), W (k, n) and bias (n) added to every row, then max(y, 0) when
    /// <paramref name="relu"/>, on <see cref="AffineBackendFor"/>. The managed kernel adds the bias and applies the
    /// ReLU as each tile of y leaves the product, with the same bits as the three steps done apart.
    /// </summary>
    /// <exception cref="ArgumentException">A size is negative or a span is too short.</exception>
    internal static void MultiplyAffine(int m, int n, int k, ReadOnlySpan<float> x, ReadOnlySpan<float> w,
        ReadOnlySpan<float> bias, bool relu, Span<float> y) =>
        MultiplyAffineWith(AffineBackendFor(m, n, k), m, n, k, x, w, bias, relu, y);

    /// <summary>
    /// The backend a dense layer runs on: the one <see cref="Multiply"/> would pick, except that a k of at most 16 runs
    /// managed unless OpenBLAS is forced.
    /// </summary>
    internal static GemmBackend AffineBackendFor(int m, int n, int k) =>
        k <= ShortDepth && !OpenBlasForced ? GemmBackend.Managed : BackendFor(m, n, transA: false);

    /// <summary>Whether <c>VAESHARP_GEMM=openblas</c> chose OpenBLAS for every product.</summary>
    internal static bool OpenBlasForced => Choice.Backend == GemmBackend.OpenBlas && !Choice.FewRowsToManaged;

    // A dense layer from at most this many inputs (a latent) spends its time writing y, not multiplying: the managed
    // kernel writes y once, with the bias and the ReLU, where the OpenBLAS path writes it three times. conv's
    // 1000×2·2×12544 layer took 13.5 ms that way on OpenBLAS's Haswell kernel and 3.4 ms managed (bench/README.md).
    private const int ShortDepth = 16;

    /// <summary>
    /// Whether <see cref="MultiplyAffine"/> would run an (m, n, k) layer on a managed kernel that gains from W packed
    /// once (<see cref="ManagedGemm.PacksWeights"/>): a tape with fixed weights packs it (<see cref="PackWeights"/>) and
    /// multiplies by that instead.
    /// </summary>
    internal static bool PacksWeights(int m, int n, int k) =>
        AffineBackendFor(m, n, k) == GemmBackend.Managed && ManagedGemm.PacksWeights(m, n, k);

    /// <summary>W (k, n) packed as the tiled kernel reads it, for <see cref="MultiplyAffinePacked"/>.</summary>
    internal static float[] PackWeights(int n, int k, ReadOnlySpan<float> w)
    {
        if (w.Length < (long)k * n) throw new ArgumentException($"packing needs {(long)k * n} weights; got {w.Length}");
        var packed = new float[ManagedGemm.PackedBFloats(n, k)]; // (⌈n / Nr⌉ panels, k, Nr)
        ManagedGemm.PackB(false, n, k, w, packed);
        return packed;
    }

    /// <summary>
    /// <see cref="MultiplyAffine"/> for a layer that <see cref="PacksWeights"/>, from W packed by
    /// <see cref="PackWeights"/>: the same bits, without packing W again.
    /// </summary>
    internal static void MultiplyAffinePacked(int m, int n, int k, ReadOnlySpan<float> x, ReadOnlySpan<float> packedW,
        ReadOnlySpan<float> bias, bool relu, Span<float> y)
    {
        if (bias.Length < n || x.Length < (long)m * k || y.Length < (long)m * n)
            throw new ArgumentException($"a packed ({m}, {n}, {k}) layer needs x≥{(long)m * k}, bias≥{n}, y≥{(long)m * n}; " +
                $"got {x.Length}, {bias.Length}, {y.Length}");
        ManagedGemm.MultiplyAffinePacked(m, n, k, x, packedW, bias, relu, y, Volatile.Read(ref _threads));
    }

    /// <summary>Same as <see cref="MultiplyAffine"/> on a named backend, so tests can exercise both.</summary>
    internal static void MultiplyAffineWith(GemmBackend backend, int m, int n, int k, ReadOnlySpan<float> x,
        ReadOnlySpan<float> w, ReadOnlySpan<float> bias, bool relu, Span<float> y)
    {
        if (bias.Length < n)
            throw new ArgumentException($"GEMM bias needs {n} elements; got {bias.Length}");
        if (!Check(m, n, k, x, w, y))
            return;
        if (backend == GemmBackend.Managed || k == 0)
        {
            ManagedGemm.MultiplyAffine(m, n, k, x, w, bias, relu, y, Volatile.Read(ref _threads));
            return;
        }
        Span<float> output = y[..(m * n)]; // (m, n)
        Elementwise.FillRows(output, bias[..n]);
        MultiplyWith(backend, false, false, m, n, k, 1f, x, w, 1f, output);
        if (relu) System.Numerics.Tensors.TensorPrimitives.Max(output, 0f, output);
    }

    /// <summary>Same as <see cref="Multiply"/> on a named backend, so tests can exercise both.</summary>
    internal static void MultiplyWith(GemmBackend backend, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c)
    {
        if (!Check(m, n, k, a, b, c))
            return;
        if (backend == GemmBackend.OpenBlas && k > 0)
        {
            if (OpenBlas == null)
                throw new InvalidOperationException($"the OpenBLAS backend is unavailable: {OpenBlasFailure}");
            OpenBlas.Multiply(transA, transB, m, n, k, alpha, a, b, beta, c);
        }
        else
        {
            // k == 0 goes here on either backend: CBLAS rejects a leading dimension of 0, and C = beta·C is all that is left.
            ManagedGemm.Multiply(transA, transB, m, n, k, alpha, a, b, beta, c, Volatile.Read(ref _threads));
        }
    }

    /// <summary>
    /// Same as <see cref="Multiply"/> on the managed kernel with at most <paramref name="threads"/> threads, whatever
    /// the backend. The convolutions run one product per worker, each on its own thread, which OpenBLAS's shared
    /// thread server cannot do side by side; and the managed kernel's sums do not depend on how rows are split.
    /// </summary>
    internal static void MultiplyManaged(int threads, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c)
    {
        if (Check(m, n, k, a, b, c))
            ManagedGemm.Multiply(transA, transB, m, n, k, alpha, a, b, beta, c, threads);
    }

    // Throws on a negative size or a short span; false when C is empty and there is nothing to do.
    private static bool Check(int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c)
    {
        if (m < 0 || n < 0 || k < 0 || a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
            throw new ArgumentException(
                $"GEMM sizes m={m} n={n} k={k} need a≥{(long)m * k}, b≥{(long)k * n}, c≥{(long)m * n} elements; " +
                $"got a={a.Length}, b={b.Length}, c={c.Length}");
        return m > 0 && n > 0;
    }

    private static (GemmBackend, string?, bool, bool) Choose()
    {
        string? forced = Environment.GetEnvironmentVariable(BackendVariable)?.Trim().ToLowerInvariant();
        if (forced == "managed")
            return (GemmBackend.Managed, $"{BackendVariable}=managed", false, true);
        if (OpenBlas != null && forced == "openblas")
            return (GemmBackend.OpenBlas, null, false, false);
        if (OpenBlas != null && (!GemmMicroKernels.Wide || OpenBlas.HasAvx512Kernel))
            return (GemmBackend.OpenBlas, null, false, true);
        if (OpenBlas != null)
        {
            OpenBlas.SetThreads(1);
            return (GemmBackend.Managed, $"OpenBLAS's {OpenBlas.CoreName} kernel lacks AVX-512, so it takes only products " +
                $"narrower than one tile, on 1 thread; {BackendVariable}=openblas forces it", true, true);
        }
        return forced == "openblas"
            ? (GemmBackend.Managed, $"{BackendVariable}=openblas but {OpenBlasFailure}", false, true)
            : (GemmBackend.Managed, OpenBlasFailure, false, true);
    }
}

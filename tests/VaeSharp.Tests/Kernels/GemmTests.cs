using System.Runtime.InteropServices;
using System.Text;
using VaeSharp.Kernels;

namespace VaeSharp.Tests.Kernels;

// The managed kernel picks Vector512 or Vector256 at JIT time; DOTNET_EnableAVX512=0 runs these tests on the Vector256 path.
public class GemmTests
{
    // (m, n, k): the degenerate 1×1×1, odd sizes that leave edge tiles on every side, and exact-tile sizes.
    private static readonly (int M, int N, int K)[] Shapes =
        [(1, 1, 1), (3, 5, 7), (17, 31, 13), (8, 32, 300), (65, 129, 33), (1, 100, 600), (100, 1, 50),
            // Deeper than one k block (1024): three blocks, each tile's C read back between them.
            (40, 70, 2100),
            // A few rows: the row kernel, split over threads, with ragged column blocks.
            (1, 784, 512), (4, 200, 300), (2, 97, 1500),
            // A C at most eight wide: the narrow kernel, eight rows side by side and split over threads.
            (1000, 2, 512), (300, 8, 70), (9, 4, 3),
            // A very deep narrow product: its scaled rows (alpha ≠ 1) come from the pool, not the stack.
            (9, 2, 70_000)];

    public static TheoryData<GemmBackend, bool, bool> BackendsAndTransposes
    {
        get
        {
            var data = new TheoryData<GemmBackend, bool, bool>();
            foreach (var backend in new[] { GemmBackend.OpenBlas, GemmBackend.Managed })
                foreach (bool transA in new[] { false, true })
                    foreach (bool transB in new[] { false, true })
                        data.Add(backend, transA, transB);
            return data;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(BackendsAndTransposes))]
    public void MatchesDoubleReferenceOverShapesAndScales(GemmBackend backend, bool transA, bool transB)
    {
        SkipUnlessUsable(backend);
        foreach (var (m, n, k) in Shapes)
        {
            foreach (var (alpha, beta) in new[] { (1f, 0f), (-1.5f, 0f), (1f, 1f), (0.75f, 0.5f) })
                CheckAgainstReference(backend, transA, transB, m, n, k, alpha, beta, seed: m * 1000 + n + k);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(BackendsAndTransposes))]
    public void MatchesDoubleReferenceAtLayerShape(GemmBackend backend, bool transA, bool transB)
    {
        SkipUnlessUsable(backend);
        // A prime sampling stride still lands on every row, column and block edge, at a fraction of the reference cost.
        CheckAgainstReference(backend, transA, transB, 128, 512, 784, 1f, 0f, seed: 1, sampleStride: 17);
        CheckAgainstReference(backend, transA, transB, 37, 784, 512, 0.5f, 0.5f, seed: 2, sampleStride: 17);
        // Taller than wide, so the parallel managed kernel splits rows instead of columns; every edge is ragged.
        CheckAgainstReference(backend, transA, transB, 301, 97, 131, 1f, 1f, seed: 3, sampleStride: 7);
    }

    [SkippableTheory]
    [InlineData(GemmBackend.OpenBlas)]
    [InlineData(GemmBackend.Managed)]
    public void ZeroSizesLeaveOrScaleC(GemmBackend backend)
    {
        SkipUnlessUsable(backend);
        float[] c = [1, 2, 3, 4, 5, 6]; // (2, 3)
        Gemm.MultiplyWith(backend, false, false, 2, 3, 0, 1f, [], [], 0.5f, c);
        Assert.Equal([0.5f, 1, 1.5f, 2, 2.5f, 3], c);
        Gemm.MultiplyWith(backend, false, false, 2, 3, 0, 1f, [], [], 0f, c);
        Assert.All(c, x => Assert.Equal(0f, x));
        Gemm.MultiplyWith(backend, false, false, 0, 3, 4, 1f, [], new float[12], 0f, []);
        Gemm.MultiplyWith(backend, false, false, 2, 0, 4, 1f, new float[8], [], 0f, []);
    }

    [Theory]
    [InlineData(200, 300, 520)] // parallel split by columns
    [InlineData(300, 200, 520)] // parallel split by rows
    [InlineData(200, 100, 2100)] // three k blocks
    public void ManagedIsBitIdenticalAcrossRunsAndThreadCounts(int m, int n, int k)
    {
        var rng = new Random(7);
        float[] a = Random(rng, m * k), b = Random(rng, k * n);
        float[] first = new float[m * n], second = new float[m * n]; // (m, n)
        ManagedGemm.Multiply(false, true, m, n, k, 1f, a, b, 0f, first, threads: 2);
        ManagedGemm.Multiply(false, true, m, n, k, 1f, a, b, 0f, second, threads: 2);
        Assert.Equal(first, second);
        // Each element's summation order is fixed by the blocking alone, so other thread counts agree too.
        foreach (int threads in new[] { 1, 3 })
        {
            float[] other = new float[m * n];
            ManagedGemm.Multiply(false, true, m, n, k, 1f, a, b, 0f, other, threads);
            Assert.Equal(first, other);
        }
    }

    [Theory]
    [InlineData(false, 1, 784, 512)] // rows of B accumulated in registers, columns split over workers
    [InlineData(false, 4, 200, 300)]
    [InlineData(false, 1, 32, 3000)] // a deep, narrow product: the two halves of k on their own threads
    [InlineData(true, 1, 784, 512)] // dot products
    [InlineData(true, 3, 130, 1000)]
    public void RowKernelIsBitIdenticalAcrossThreadCounts(bool transB, int m, int n, int k)
    {
        var rng = new Random(8);
        float[] a = Random(rng, m * k), b = Random(rng, k * n);
        float[] first = new float[m * n]; // (m, n)
        ManagedGemm.Multiply(false, transB, m, n, k, 1f, a, b, 0f, first, threads: 2);
        foreach (int threads in new[] { 1, 3 })
        {
            float[] other = new float[m * n];
            ManagedGemm.Multiply(false, transB, m, n, k, 1f, a, b, 0f, other, threads);
            Assert.Equal(first, other);
        }
    }

    [Fact]
    public void AFewRowsRunOnTheRowKernelWhicheverBackendIsChosen()
    {
        // The row kernel's sums round differently from OpenBLAS's, so equal bits show which one ran.
        if (Environment.GetEnvironmentVariable("VAESHARP_GEMM")?.Trim().ToLowerInvariant() == "openblas")
            return;
        var rng = new Random(9);
        foreach (bool transB in new[] { false, true })
        {
            const int m = RowGemm.MaxRows, n = 300, k = 700;
            float[] a = Random(rng, m * k), b = Random(rng, k * n);
            float[] viaChoice = new float[m * n], viaRowKernel = new float[m * n]; // (m, n)
            Gemm.Multiply(false, transB, m, n, k, 1f, a, b, 0f, viaChoice);
            ManagedGemm.Multiply(false, transB, m, n, k, 1f, a, b, 0f, viaRowKernel, Gemm.Threads);
            Assert.Equal(viaRowKernel, viaChoice);
        }
    }

    [Fact]
    public void ShortSpansAndNegativeSizesThrowWithTheSizes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 3, 4, 1f, new float[7], new float[12], 0f, new float[6]));
        Assert.Contains("m=2 n=3 k=4", ex.Message);
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 3, 4, 1f, new float[8], new float[11], 0f, new float[6]));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 3, 4, 1f, new float[8], new float[12], 0f, new float[5]));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, -1, 3, 4, 1f, new float[8], new float[12], 0f, new float[6]));
    }

    [Fact]
    public void DescribesTheChosenBackend()
    {
        string prefix = Gemm.Backend == GemmBackend.OpenBlas ? "openblas (" : "managed (";
        Assert.StartsWith(prefix, Gemm.BackendDescription);
        if (Environment.GetEnvironmentVariable("VAESHARP_REQUIRE_OPENBLAS") == "1")
            Assert.True(Gemm.OpenBlasAvailable, Gemm.BackendDescription);
    }

    [SkippableFact]
    public unsafe void OpenBlasLoadsWithItsIdleThreadsSleepingAtOnce()
    {
        SkipUnlessUsable(GemmBackend.OpenBlas);
        // OpenBLAS read the C environment when it loaded; the managed one still holds what the process started with.
        string expected = Environment.GetEnvironmentVariable(OpenBlasGemm.ThreadTimeoutVariable) ?? OpenBlasGemm.ThreadTimeout;
        var getenv = (delegate* unmanaged[Cdecl]<byte*, byte*>)NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "getenv");
        fixed (byte* name = Encoding.UTF8.GetBytes(OpenBlasGemm.ThreadTimeoutVariable + "\0"))
            Assert.Equal(expected, Marshal.PtrToStringUTF8((nint)getenv(name)));
    }

    // OpenBLAS is optional at run time: where it is missing its cases show as skipped, and fail when CI demands it.
    private static void SkipUnlessUsable(GemmBackend backend)
    {
        if (backend == GemmBackend.Managed || Gemm.OpenBlasAvailable)
            return;
        Assert.NotEqual("1", Environment.GetEnvironmentVariable("VAESHARP_REQUIRE_OPENBLAS"));
        throw new SkipException("libopenblas.so.0 does not load here (apt-get install libopenblas0-pthread)");
    }

    private static void CheckAgainstReference(GemmBackend backend, bool transA, bool transB, int m, int n, int k,
        float alpha, float beta, int seed, int sampleStride = 1)
    {
        var rng = new Random(seed);
        float[] a = Random(rng, m * k); // (m, k), or (k, m) when transA
        float[] b = Random(rng, k * n); // (k, n), or (n, k) when transB
        float[] c = Random(rng, m * n); // (m, n)
        if (beta == 0)
            Array.Fill(c, float.NaN); // must be ignored, not multiplied by zero
        double[] expected = new double[m * n]; // (m, n); only every sampleStride-th element is computed and checked
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                if ((i * n + j) % sampleStride != 0)
                    continue;
                double sum = 0;
                for (int p = 0; p < k; p++)
                    sum += (double)(transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
                expected[i * n + j] = alpha * sum + (beta == 0 ? 0 : beta * (double)c[i * n + j]);
            }

        Gemm.MultiplyWith(backend, transA, transB, m, n, k, alpha, a, b, beta, c);

        // Float32 accumulation error grows with k; inputs are in [-1, 1), so |terms| ≤ 1.
        double tolerance = 4e-7 * (k + 4) * Math.Max(1, Math.Abs(alpha)) + 1e-6;
        for (int idx = 0; idx < expected.Length; idx += sampleStride)
            if (!(Math.Abs(c[idx] - expected[idx]) <= tolerance))
                Assert.Fail($"{backend} tA={transA} tB={transB} m={m} n={n} k={k} alpha={alpha} beta={beta}: " +
                    $"c[{idx / n},{idx % n}]={c[idx]} expected {expected[idx]} (tolerance {tolerance})");
    }

    private static float[] Random(Random rng, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }
}

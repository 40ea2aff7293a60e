using VaeSharp.Kernels;

namespace VaeSharp.Tests.Kernels;

/// <summary>
/// The dense layer's product (<see cref="Gemm.MultiplyAffine"/>): the bias and ReLU ride on the store with the same bits
/// as the three steps apart, and the narrow kernel gives a row the same bits in a batch of any size.
/// </summary>
public class GemmEpilogueTests
{
    // (m, n, k): edge tiles on both sides, exact tiles, a short k, three k blocks (bias on the first, ReLU on the last),
    // the row kernel, the narrow kernel, and k = 0.
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 17, 31, 13 }, { 64, 64, 300 }, { 1000, 512, 2 }, { 130, 70, 600 }, { 40, 70, 2100 }, { 3, 200, 90 }, { 1000, 2, 512 }, { 37, 8, 5 }, { 12, 40, 0 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AffineEqualsBiasRowsThenProductThenRelu(int m, int n, int k)
    {
        var rng = new Random(m * 31 + n);
        float[] x = Random(rng, m * k), w = Random(rng, k * n), bias = Random(rng, n);
        foreach (var backend in Backends())
            foreach (bool relu in new[] { false, true })
            {
                float[] apart = new float[m * n]; // (m, n)
                for (int row = 0; row < m; row++) bias.CopyTo(apart, row * n);
                Gemm.MultiplyWith(backend, false, false, m, n, k, 1f, x, w, 1f, apart);
                if (relu) System.Numerics.Tensors.TensorPrimitives.Max(apart, 0f, apart);

                float[] fused = new float[m * n];
                Array.Fill(fused, float.NaN); // overwritten, never read
                Gemm.MultiplyAffineWith(backend, m, n, k, x, w, bias, relu, fused);
                Assert.Equal(apart, fused);
                if (relu) Assert.All(fused, value => Assert.True(value >= 0f));
            }
    }

    [Theory]
    [InlineData(100, 300, 2)]
    [InlineData(64, 512, 16)]
    public void ADenseLayerFromALatentRunsManagedUnlessOpenBlasIsForced(int m, int n, int k)
    {
        var expected = Gemm.OpenBlasForced ? GemmBackend.OpenBlas : GemmBackend.Managed;
        Assert.Equal(expected, Gemm.AffineBackendFor(m, n, k));
        // One more input and the layer takes the backend any layer of its shape takes.
        Assert.Equal(Gemm.AffineBackendFor(m, n, 1000), Gemm.AffineBackendFor(m, n, 17));
        var rng = new Random(k);
        float[] x = Random(rng, m * k), w = Random(rng, k * n), bias = Random(rng, n);
        float[] routed = new float[m * n], named = new float[m * n]; // (m, n)
        Gemm.MultiplyAffine(m, n, k, x, w, bias, relu: true, routed);
        Gemm.MultiplyAffineWith(expected, m, n, k, x, w, bias, relu: true, named);
        Assert.Equal(named, routed);
    }

    [Theory]
    [InlineData(17, 31, 13)]
    [InlineData(130, 784, 300)]
    [InlineData(1000, 512, 100)]
    public void PackedWeightsGiveTheBitsOfWeightsPackedPerCall(int m, int n, int k)
    {
        AssertPackedGivesTheBitsOfStored(m, n, k, threadCounts: [1, 2]);
        Assert.False(ManagedGemm.PacksWeights(4, 100, k)); // the row kernel's, narrower than one 128-column block
        Assert.False(ManagedGemm.PacksWeights(m, 8, k)); // the narrow kernel's
    }

    // (m, n, k): two halves of k with a 16-column tail in one panel; a 72-column tail over three panels; a 2-column
    // tail; four workers whose column split falls mid-block (column 192); halves deeper than the stack's scaled row.
    [SkippableTheory]
    [InlineData(1, 784, 512)]
    [InlineData(3, 200, 90)]
    [InlineData(4, 130, 300)]
    [InlineData(2, 448, 300)]
    [InlineData(1, 1000, 2500)]
    public void TheRowKernelOnPackedPanelsGivesTheBitsOfWeightsAsStored(int m, int n, int k)
    {
        Skip.IfNot(GemmMicroKernels.Wide, "the row kernel reads packed panels with Vector512 only");
        AssertPackedGivesTheBitsOfStored(m, n, k, threadCounts: [1, 2, 4]);
    }

    // A layer that packs its weights gives, from W packed once, the bits of the same layer on W as stored, with and
    // without the ReLU, at each thread count.
    private static void AssertPackedGivesTheBitsOfStored(int m, int n, int k, int[] threadCounts)
    {
        Assert.True(ManagedGemm.PacksWeights(m, n, k));
        var rng = new Random(m + n + k);
        float[] x = Random(rng, m * k), w = Random(rng, k * n), bias = Random(rng, n);
        float[] packed = new float[ManagedGemm.PackedBFloats(n, k)]; // (⌈n / Nr⌉, k, Nr)
        ManagedGemm.PackB(false, n, k, w, packed);
        foreach (int threads in threadCounts)
            foreach (bool relu in new[] { false, true })
            {
                float[] stored = new float[m * n], once = new float[m * n]; // (m, n)
                ManagedGemm.MultiplyAffine(m, n, k, x, w, bias, relu, stored, threads);
                ManagedGemm.MultiplyAffinePacked(m, n, k, x, packed, bias, relu, once, threads);
                Assert.Equal(stored, once);
            }
    }

    [Fact]
    public void AffineRejectsAShortBias()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Gemm.MultiplyAffine(2, 3, 4, new float[8], new float[12], new float[2], relu: false, new float[6]));
        Assert.Contains("bias", error.Message);
    }

    [Theory]
    [InlineData(false, 1000, 2, 512, 1f)]
    [InlineData(true, 203, 8, 70, 0.5f)]
    [InlineData(false, 29, 5, 1100, -2f)]
    [InlineData(false, 203, 8, 70, 0.5f)]
    public void NarrowRowsMatchTheRowKernelAndDoNotDependOnThreads(bool transB, int m, int n, int k, float alpha)
    {
        var rng = new Random(n + k);
        float[] a = Random(rng, m * k), b = Random(rng, k * n), start = Random(rng, m * n);
        float[] batch = (float[])start.Clone(); // (m, n)
        ManagedGemm.Multiply(false, transB, m, n, k, alpha, a, b, 1f, batch, threads: 2);
        foreach (int threads in new[] { 1, 3 })
        {
            float[] other = (float[])start.Clone();
            ManagedGemm.Multiply(false, transB, m, n, k, alpha, a, b, 1f, other, threads);
            Assert.Equal(batch, other);
        }
        // One row on its own goes to the row kernel, which sums a B stored (k, n), as a dense layer's is, in the same
        // order; a B stored (n, k) it takes as dot products.
        if (transB) return;
        foreach (int row in new[] { 0, m / 2, m - 1 })
        {
            float[] single = start.AsSpan(row * n, n).ToArray(); // (1, n)
            ManagedGemm.Multiply(false, transB, 1, n, k, alpha, a.AsSpan(row * k, k), b, 1f, single, threads: 1);
            Assert.Equal(batch.AsSpan(row * n, n).ToArray(), single);
        }
    }

    private static IEnumerable<GemmBackend> Backends() =>
        Gemm.OpenBlasAvailable ? [GemmBackend.Managed, GemmBackend.OpenBlas] : [GemmBackend.Managed];

    private static float[] Random(Random rng, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
        return values;
    }
}

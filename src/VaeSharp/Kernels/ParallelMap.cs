using System.Numerics.Tensors;

namespace VaeSharp.Kernels;

/// <summary>An elementwise map y = f(x), one of TensorPrimitives' span functions.</summary>
internal interface IElementwiseMap
{
    /// <summary>Writes f(x) into y, element by element; the spans have equal lengths.</summary>
    static abstract void Apply(ReadOnlySpan<float> x, Span<float> y);
}

/// <summary>
/// Runs an elementwise map over a long span on the <see cref="Gemm.Threads"/> budget, one contiguous run per thread:
/// keras-mlp's sigmoid over a batch of 1000 images took 350 µs on one thread, a twelfth of its output layer's product,
/// and 165 µs on two. Every run
/// but the last starts and ends on a multiple of <see cref="Alignment"/> floats and the last is at least as long as
/// the others, so each element goes through the same vector code as on one thread and gets the same bits.
/// </summary>
internal static unsafe class ParallelMap
{
    // Shorter runs than this cost more to hand over than they save.
    private const int MinPartFloats = 1 << 15;
    // Runs start on whole cache lines and whole Vector512s.
    private const int Alignment = 64;

    /// <summary>y = f(x) for spans of equal length.</summary>
    public static void Run<TMap>(ReadOnlySpan<float> x, Span<float> y) where TMap : IElementwiseMap
    {
        int parts = Math.Min(Gemm.Threads, y.Length / MinPartFloats);
        if (parts < 2)
        {
            TMap.Apply(x, y);
            return;
        }
        fixed (float* px = x, py = y)
            ParallelParts.Run(new Parts<TMap>(px, py, y.Length, y.Length / parts / Alignment * Alignment, parts), parts);
    }

    private readonly struct Parts<TMap>(float* x, float* y, int length, int partFloats, int parts) : IPartBody where TMap : IElementwiseMap
    {
        public void Run(int part)
        {
            int start = part * partFloats, end = part == parts - 1 ? length : start + partFloats;
            TMap.Apply(new ReadOnlySpan<float>(x + start, end - start), new Span<float>(y + start, end - start));
        }
    }
}

/// <summary>1 / (1 + e^−x), in float arithmetic (<see cref="VectorSigmoid"/>).</summary>
internal readonly struct SigmoidMap : IElementwiseMap
{
    /// <inheritdoc />
    public static void Apply(ReadOnlySpan<float> x, Span<float> y) => VectorSigmoid.Apply(x, y);
}

/// <summary>tanh(x).</summary>
internal readonly struct TanhMap : IElementwiseMap
{
    /// <inheritdoc />
    public static void Apply(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Tanh(x, y);
}

/// <summary>e^x.</summary>
internal readonly struct ExpMap : IElementwiseMap
{
    /// <inheritdoc />
    public static void Apply(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Exp(x, y);
}

/// <summary>log(1 + e^x), as <see cref="Elementwise.Softplus"/> computes it.</summary>
internal readonly struct SoftplusMap : IElementwiseMap
{
    /// <inheritdoc />
    public static void Apply(ReadOnlySpan<float> x, Span<float> y) => Elementwise.Softplus(x, y);
}

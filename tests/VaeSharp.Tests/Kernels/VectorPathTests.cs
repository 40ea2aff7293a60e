using System.Numerics;
using VaeSharp.Kernels;
using Xunit.Abstractions;

namespace VaeSharp.Tests.Kernels;

/// <summary>
/// Which vector path the kernels took in this run. The CPU decides it, so .ci/run runs the kernel tests once as the
/// CPU allows and once with DOTNET_EnableAVX512=0, and says through VAESHARP_EXPECT_SIMD which path each run must take.
/// </summary>
public class VectorPathTests(ITestOutputHelper output)
{
    [Fact]
    public void RunsTheVectorPathThatTheRunAskedFor()
    {
        string report = $"simd {GemmMicroKernels.VectorPath}, Vector<float> {Vector<float>.Count} lanes, GEMM tile {GemmMicroKernels.Mr}x{GemmMicroKernels.Nr} ({GemmMicroKernels.Isa})";
        output.WriteLine(report);
        string? expected = Environment.GetEnvironmentVariable("VAESHARP_EXPECT_SIMD");
        if (!string.IsNullOrEmpty(expected))
            Assert.True(expected == GemmMicroKernels.VectorPath, $"VAESHARP_EXPECT_SIMD={expected}, but this run has {report}");
    }
}

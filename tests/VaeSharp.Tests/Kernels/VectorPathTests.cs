using System.Numerics;
using System.Runtime.Intrinsics;
using VaeSharp.Kernels;
using Xunit.Abstractions;

namespace VaeSharp.Tests.Kernels;

/// <summary>
/// Which vector path the kernels took in this run. The CPU decides it, so .ci/run runs the kernel tests once as the
/// CPU allows and once with DOTNET_EnableAVX512=0, and says through VAESHARP_EXPECT_SIMD which path each run must take.
/// </summary>
public class VectorPathTests(ITestOutputHelper output)
{
    /// <summary>The widest vector the runtime accelerates here, as <c>vae info</c> names it.</summary>
    internal static string ActivePath => Vector512.IsHardwareAccelerated ? "Vector512"
        : Vector256.IsHardwareAccelerated ? "Vector256" : "Vector128";

    [Fact]
    public void RunsTheVectorPathThatTheRunAskedFor()
    {
        string report = $"simd {ActivePath}, Vector<float> {Vector<float>.Count} lanes, GEMM tile {GemmMicroKernels.Mr}x{GemmMicroKernels.Nr} ({GemmMicroKernels.Isa})";
        output.WriteLine(report);
        string? expected = Environment.GetEnvironmentVariable("VAESHARP_EXPECT_SIMD");
        if (!string.IsNullOrEmpty(expected))
            Assert.True(expected == ActivePath, $"VAESHARP_EXPECT_SIMD={expected}, but this run has {report}");
    }
}

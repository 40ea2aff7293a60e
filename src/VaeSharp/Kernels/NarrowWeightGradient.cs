using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace VaeSharp.Kernels;

/// <summary>
/// dW += Σ over output pixels of window ⊗ dy for a stride-1 convolution into <see cref="OutChannels"/> channels from
/// whole blocks of 8 input channels (impute-vaeac's 16 → 16 layer), straight from the NHWC image. Through im2col each
/// pixel's window was written, then packed transposed, for only 16 multiply-adds per float. Here each kernel position
/// and block of channels keeps its (channels, 16) sums in registers while the pixels whose window holds that position
/// go by: one load of dy and a broadcast multiply-add per channel. Sums run image by image in a fixed order, so a
/// worker's share of dW is the same on every run.
/// </summary>
internal static class NarrowWeightGradient
{
    /// <summary>The output channels this kernel takes: one Vector512, or two Vector256.</summary>
    public const int OutChannels = 16;

    /// <summary>Input channels come in whole blocks of this many.</summary>
    public const int ChannelMultiple = 8;

    /// <summary>Whether a stride-1 convolution of <paramref name="channels"/> into <paramref name="outChannels"/> goes this way.</summary>
    public static bool Fits(int stride, int channels, int outChannels) =>
        stride == 1 && outChannels == OutChannels && channels % ChannelMultiple == 0 && channels > 0;

    /// <summary>
    /// dKernel (kernelH, kernelW, channels, 16) += the images [<paramref name="firstImage"/>, + <paramref name="images"/>)
    /// of image (batch, height, width, channels) correlated with dy (batch, outH, outW, 16); sizes are the caller's to check.
    /// </summary>
    public static unsafe void Accumulate(ReadOnlySpan<float> image, ReadOnlySpan<float> dy, Span<float> dKernel,
        int height, int width, int channels, int kernelH, int kernelW, int padTop, int padLeft, int outH, int outW,
        int firstImage, int images)
    {
        // 8 sums of 16 floats fill 8 of AVX-512's 32 registers; AVX2 has 16, so its blocks are 4 channels (8 sums).
        int block = Vector512.IsHardwareAccelerated ? 8 : 4;
        fixed (float* pImage = image, pDy = dy, pKernel = dKernel)
            foreach (var (n, kh, kw, ohStart, ohEnd, owStart, owEnd) in
                ReceptiveFields.ByKernelPosition(height, width, kernelH, kernelW, padTop, padLeft, outH, outW, firstImage, images))
            {
                float* x = pImage + (((long)n * height + ohStart + kh - padTop) * width + owStart + kw - padLeft) * channels;
                float* d = pDy + (((long)n * outH + ohStart) * outW + owStart) * OutChannels;
                float* sums = pKernel + (kh * kernelW + kw) * channels * OutChannels; // (channels, 16)
                var run = new PixelRun(ohEnd - ohStart, owEnd - owStart, (long)width * channels, (long)outW * OutChannels, channels);
                for (int c = 0; c < channels; c += block)
                    if (block == 8) Block8(run, x + c, d, sums + c * OutChannels);
                    else Block4(run, x + c, d, sums + c * OutChannels);
            }
    }

    // The output pixels of one kernel position: Rows × Cols, the image's pixels XRowStride and XStep floats apart and
    // dy's DyRowStride and 16.
    private readonly record struct PixelRun(int Rows, int Cols, long XRowStride, long DyRowStride, int XStep);

    // sums (8, 16) += Σ x[c] ⊗ dy over the run, for x's channels c = 0..7
    private static unsafe void Block8(PixelRun run, float* x, float* d, float* sums)
    {
        Vector512<float> s0 = Vector512.Load(sums), s1 = Vector512.Load(sums + 16), s2 = Vector512.Load(sums + 32),
            s3 = Vector512.Load(sums + 48), s4 = Vector512.Load(sums + 64), s5 = Vector512.Load(sums + 80),
            s6 = Vector512.Load(sums + 96), s7 = Vector512.Load(sums + 112);
        for (int r = 0; r < run.Rows; r++, x += run.XRowStride, d += run.DyRowStride)
        {
            float* xp = x, dp = d;
            for (int col = 0; col < run.Cols; col++, xp += run.XStep, dp += OutChannels)
            {
                var g = Vector512.Load(dp);
                s0 = Avx512F.FusedMultiplyAdd(Vector512.Create(xp[0]), g, s0);
                s1 = Avx512F.FusedMultiplyAdd(Vector512.Create(xp[1]), g, s1);
                s2 = Avx512F.FusedMultiplyAdd(Vector512.Create(xp[2]), g, s2);
                s3 = Avx512F.FusedMultiplyAdd(Vector512.Create(xp[3]), g, s3);
                s4 = Avx512F.FusedMultiplyAdd(Vector512.Create(xp[4]), g, s4);
                s5 = Avx512F.FusedMultiplyAdd(Vector512.Create(xp[5]), g, s5);
                s6 = Avx512F.FusedMultiplyAdd(Vector512.Create(xp[6]), g, s6);
                s7 = Avx512F.FusedMultiplyAdd(Vector512.Create(xp[7]), g, s7);
            }
        }
        s0.Store(sums); s1.Store(sums + 16); s2.Store(sums + 32); s3.Store(sums + 48);
        s4.Store(sums + 64); s5.Store(sums + 80); s6.Store(sums + 96); s7.Store(sums + 112);
    }

    // sums (4, 16) += Σ x[c] ⊗ dy over the run, for x's channels c = 0..3, each row of sums in two halves
    private static unsafe void Block4(PixelRun run, float* x, float* d, float* sums)
    {
        Vector256<float> s0 = Vector256.Load(sums), t0 = Vector256.Load(sums + 8), s1 = Vector256.Load(sums + 16),
            t1 = Vector256.Load(sums + 24), s2 = Vector256.Load(sums + 32), t2 = Vector256.Load(sums + 40),
            s3 = Vector256.Load(sums + 48), t3 = Vector256.Load(sums + 56);
        for (int r = 0; r < run.Rows; r++, x += run.XRowStride, d += run.DyRowStride)
        {
            float* xp = x, dp = d;
            for (int col = 0; col < run.Cols; col++, xp += run.XStep, dp += OutChannels)
            {
                Vector256<float> low = Vector256.Load(dp), high = Vector256.Load(dp + 8);
                var x0 = Vector256.Create(xp[0]);
                s0 = GemmMicroKernels.MulAdd(x0, low, s0);
                t0 = GemmMicroKernels.MulAdd(x0, high, t0);
                var x1 = Vector256.Create(xp[1]);
                s1 = GemmMicroKernels.MulAdd(x1, low, s1);
                t1 = GemmMicroKernels.MulAdd(x1, high, t1);
                var x2 = Vector256.Create(xp[2]);
                s2 = GemmMicroKernels.MulAdd(x2, low, s2);
                t2 = GemmMicroKernels.MulAdd(x2, high, t2);
                var x3 = Vector256.Create(xp[3]);
                s3 = GemmMicroKernels.MulAdd(x3, low, s3);
                t3 = GemmMicroKernels.MulAdd(x3, high, t3);
            }
        }
        s0.Store(sums); t0.Store(sums + 8); s1.Store(sums + 16); t1.Store(sums + 24);
        s2.Store(sums + 32); t2.Store(sums + 40); s3.Store(sums + 48); t3.Store(sums + 56);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace VaeSharp.Kernels;

/// <summary>
/// The three transforms of Winograd's minimal filtering F(2×2, 3×3) (Lavin and Gray, "Fast Algorithms for
/// Convolutional Neural Networks", 2016) for NHWC images: a 2×2 output tile is <c>Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A</c> of the
/// 4×4 input tile d and the 3×3 kernel g, 16 multiplies where the direct sum takes 36. Summed over channels, the
/// ⊙ becomes 16 independent products (tiles, inC)·(inC, outC), one per position ξ of the transformed 4×4 tile, so
/// the multiplies go through the GEMM and only the transforms (adds, and halvings, which are exact) are here.
/// <para>
/// Tile t of a batch is <c>(n·tilesH + ty)·tilesW + tx</c>: output rows 2ty, 2ty + 1 and columns 2tx, 2tx + 1, read
/// from the input rows 2ty − padTop … 2ty − padTop + 3 and the columns likewise; pixels outside the image read as
/// zero and outputs outside the image are not written. Channel counts are multiples of <see cref="Lanes"/>: every
/// transform runs on whole vectors of channels, which NHWC keeps contiguous.
/// </para>
/// </summary>
internal static unsafe class Winograd
{
    /// <summary>Positions ξ of a transformed tile: 4×4.</summary>
    public const int Positions = 16;

    /// <summary>Floats per vector of channels; channel counts must be multiples of it.</summary>
    public const int Lanes = 8;

    /// <summary>
    /// Floats from one position's (tiles, channels) block to the next in the transformed input and the products: the
    /// block and 16 more, since 48 tiles of 64 channels are 12 KiB, a multiple of 4 KiB, and the 16 blocks a tile's
    /// transform writes or reads would all fall in one L1 set.
    /// </summary>
    public static int Plane(int tiles, int channels) => tiles * channels + 2 * Lanes;

    /// <summary>Position ξ' = (a, b) of the kernel turned by 180° is position (Turned[a], Turned[b]) of the kernel.</summary>
    public static ReadOnlySpan<int> Turned => [3, 1, 2, 0];

    /// <summary>U[ξ] = (G g Gᵀ)[ξ] for every (inC, outC) pair of <paramref name="kernel"/> (3, 3, inC, outC), into <paramref name="transformed"/> (16, inC, outC).</summary>
    public static void TransformKernel(ReadOnlySpan<float> kernel, int inC, int outC, Span<float> transformed)
    {
        var half = Vector256.Create(0.5f);
        fixed (float* pKernel = kernel, pU = transformed)
        {
            Vector256<float>* g = stackalloc Vector256<float>[9], q = stackalloc Vector256<float>[12];
            long plane = (long)inC * outC; // floats of one U[ξ] and of one kernel tap
            for (int c = 0; c < inC; c++)
                for (int k = 0; k < outC; k += Lanes)
                {
                    for (int tap = 0; tap < 9; tap++) g[tap] = Vector256.Load(pKernel + tap * plane + (long)c * outC + k);
                    for (int s = 0; s < 3; s++) // q = G·g : (4, 3)
                    {
                        Vector256<float> g0 = g[s], g1 = g[3 + s], g2 = g[6 + s];
                        q[s] = g0;
                        q[3 + s] = (g0 + g1 + g2) * half;
                        q[6 + s] = (g0 - g1 + g2) * half;
                        q[9 + s] = g2;
                    }
                    for (int i = 0; i < 4; i++) // U = q·Gᵀ : (4, 4)
                    {
                        Vector256<float> q0 = q[3 * i], q1 = q[3 * i + 1], q2 = q[3 * i + 2];
                        float* row = pU + 4 * i * plane + (long)c * outC + k;
                        Vector256.Store(q0, row);
                        Vector256.Store((q0 + q1 + q2) * half, row + plane);
                        Vector256.Store((q0 - q1 + q2) * half, row + 2 * plane);
                        Vector256.Store(q2, row + 3 * plane);
                    }
                }
        }
    }

    /// <summary>
    /// V[ξ] = (Bᵀ d B)[ξ] for the tiles [<paramref name="firstTile"/>, <paramref name="firstTile"/> + <paramref name="tiles"/>)
    /// of <paramref name="image"/> (batch, height, width, channels), into <paramref name="transformed"/> (16, tiles, channels),
    /// the positions <see cref="Plane"/> apart.
    /// </summary>
    public static void TransformInput(ReadOnlySpan<float> image, int height, int width, int channels, int padTop, int padLeft,
        int tilesH, int tilesW, int firstTile, int tiles, Span<float> transformed)
    {
        float* zeros = stackalloc float[channels];
        new Span<float>(zeros, channels).Clear();
        float** pixel = stackalloc float*[16]; // the 4×4 tile's pixels, each a run of channels, or zeros outside
        long plane = Plane(tiles, channels);
        var position = new WindowPosition(firstTile, tilesH, tilesW); // the tile's (n, ty, tx), stepped without divisions
        fixed (float* pImage = image, pV = transformed)
            for (int tile = 0; tile < tiles; tile++, position.Next())
            {
                var (n, ty, tx) = (position.Image, position.Row, position.Column);
                for (int i = 0; i < 4; i++)
                    for (int j = 0; j < 4; j++)
                    {
                        int row = 2 * ty - padTop + i, col = 2 * tx - padLeft + j;
                        pixel[4 * i + j] = row < 0 || row >= height || col < 0 || col >= width ? zeros
                            : pImage + (((long)n * height + row) * width + col) * channels;
                    }
                float* v = pV + (long)tile * channels;
                for (int c = 0; c < channels; c += Lanes, v += Lanes)
                {
                    // r = d·B, row by row, then V = Bᵀ·r, column by column; locals, so they stay in registers
                    BRow(pixel, 0, c, out var r00, out var r01, out var r02, out var r03);
                    BRow(pixel, 4, c, out var r10, out var r11, out var r12, out var r13);
                    BRow(pixel, 8, c, out var r20, out var r21, out var r22, out var r23);
                    BRow(pixel, 12, c, out var r30, out var r31, out var r32, out var r33);
                    BColumn(v, 0, plane, r00, r10, r20, r30);
                    BColumn(v, 1, plane, r01, r11, r21, r31);
                    BColumn(v, 2, plane, r02, r12, r22, r32);
                    BColumn(v, 3, plane, r03, r13, r23, r33);
                }
            }
    }

    // One row of d·B: (d0 − d2, d1 + d2, d2 − d1, d1 − d3) of the pixels first … first + 3.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BRow(float** pixel, int first, int c, out Vector256<float> r0, out Vector256<float> r1,
        out Vector256<float> r2, out Vector256<float> r3)
    {
        Vector256<float> d0 = Vector256.Load(pixel[first] + c), d1 = Vector256.Load(pixel[first + 1] + c);
        Vector256<float> d2 = Vector256.Load(pixel[first + 2] + c), d3 = Vector256.Load(pixel[first + 3] + c);
        r0 = d0 - d2;
        r1 = d1 + d2;
        r2 = d2 - d1;
        r3 = d1 - d3;
    }

    // Column j of Bᵀ·r, stored at positions ξ = 4i + j, one plane apart.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BColumn(float* v, int j, long plane, Vector256<float> r0, Vector256<float> r1, Vector256<float> r2,
        Vector256<float> r3)
    {
        Vector256.Store(r0 - r2, v + j * plane);
        Vector256.Store(r1 + r2, v + (4 + j) * plane);
        Vector256.Store(r2 - r1, v + (8 + j) * plane);
        Vector256.Store(r1 - r3, v + (12 + j) * plane);
    }

    /// <summary>
    /// The 2×2 output tiles Aᵀ m A of <paramref name="products"/> (16, tiles, channels), <see cref="Plane"/> apart, the tiles from
    /// <paramref name="firstTile"/> on, into <paramref name="output"/> (batch, outH, outW, channels) where they lie inside:
    /// <c>bias + Y</c>, or <c>output + Y</c> when <paramref name="bias"/> is empty; then max(·, 0) when <paramref name="relu"/>.
    /// </summary>
    public static void TransformOutput(ReadOnlySpan<float> products, int channels, int outH, int outW, int tilesH, int tilesW,
        int firstTile, int tiles, ReadOnlySpan<float> bias, bool relu, Span<float> output)
    {
        bool accumulate = bias.IsEmpty;
        long plane = Plane(tiles, channels);
        var position = new WindowPosition(firstTile, tilesH, tilesW); // the tile's (n, ty, tx), stepped without divisions
        fixed (float* pM = products, pBias = bias, pOut = output)
            for (int tile = 0; tile < tiles; tile++, position.Next())
            {
                var (n, ty, tx) = (position.Image, position.Row, position.Column);
                bool fullRows = 2 * ty + 1 < outH, fullCols = 2 * tx + 1 < outW;
                float* corner = pOut + (((long)n * outH + 2 * ty) * outW + 2 * tx) * channels, below = corner + (long)outW * channels;
                float* m = pM + (long)tile * channels;
                for (int c = 0; c < channels; c += Lanes, m += Lanes)
                {
                    // s = m·A, row by row, then Y = Aᵀ·s, column by column
                    ARow(m, 0, plane, out var s00, out var s01);
                    ARow(m, 4, plane, out var s10, out var s11);
                    ARow(m, 8, plane, out var s20, out var s21);
                    ARow(m, 12, plane, out var s30, out var s31);
                    var add = accumulate ? default : Vector256.Load(pBias + c);
                    Put(corner + c, s00 + s10 + s20, add, accumulate, relu);
                    if (fullCols) Put(corner + channels + c, s01 + s11 + s21, add, accumulate, relu);
                    if (!fullRows) continue;
                    Put(below + c, s10 - s20 - s30, add, accumulate, relu);
                    if (fullCols) Put(below + channels + c, s11 - s21 - s31, add, accumulate, relu);
                }
            }
    }

    // One row of m·A: (m0 + m1 + m2, m1 − m2 − m3) of the positions first … first + 3.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ARow(float* m, int first, long plane, out Vector256<float> s0, out Vector256<float> s1)
    {
        Vector256<float> m0 = Vector256.Load(m + first * plane), m1 = Vector256.Load(m + (first + 1) * plane);
        Vector256<float> m2 = Vector256.Load(m + (first + 2) * plane), m3 = Vector256.Load(m + (first + 3) * plane);
        s0 = m0 + m1 + m2;
        s1 = m1 - m2 - m3;
    }

    // Stores y + bias, or adds y into what is there; then the ReLU.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* at, Vector256<float> y, Vector256<float> bias, bool accumulate, bool relu)
    {
        y += accumulate ? Vector256.Load(at) : bias;
        Vector256.Store(relu ? Vector256.Max(y, Vector256<float>.Zero) : y, at);
    }
}

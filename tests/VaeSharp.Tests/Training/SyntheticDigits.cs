using VaeSharp.Data;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Training;

/// <summary>Tiny 8×8 images with real structure: a bright bar whose row depends on the label, plus noise.</summary>
internal static class SyntheticDigits
{
    public static Dataset Create(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var pixels = new byte[count * 64];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            int label = rng.NextInt(4);
            labels[i] = (byte)label;
            for (int p = 0; p < 64; p++)
            {
                bool bar = p / 8 == 2 * label || p / 8 == 2 * label + 1;
                pixels[i * 64 + p] = (byte)(bar ? 200 + rng.NextInt(56) : rng.NextInt(30));
            }
        }
        return new Dataset(pixels, labels, count, 8, 8, "synthetic bars");
    }
}

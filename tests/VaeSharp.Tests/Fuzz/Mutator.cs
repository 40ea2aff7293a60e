using VaeSharp.Tensors;

namespace VaeSharp.Tests.Fuzz;

/// <summary>
/// Seeded damage to a valid file: whole random buffers, truncations, bit flips, byte replacements (biased towards the
/// format's own punctuation, so parsers see structurally plausible damage), and duplicated or deleted spans (which
/// grow numbers and counts). One seed gives one sequence of cases, so a failure names a reproducible case.
/// </summary>
internal static class Mutator
{
    public static byte[] Mutate(byte[] valid, Rng rng, string alphabet)
    {
        if (rng.NextInt(50) == 0) return RandomBytes(rng, rng.NextInt(Math.Max(2, valid.Length * 2)));
        byte[] bytes = (byte[])valid.Clone();
        int edits = 1 + rng.NextInt(4);
        for (int edit = 0; edit < edits && bytes.Length > 0; edit++)
        {
            switch (rng.NextInt(6))
            {
                case 0:
                    return bytes[..rng.NextInt(bytes.Length)];
                case 1:
                    bytes[rng.NextInt(bytes.Length)] ^= (byte)(1 << rng.NextInt(8));
                    break;
                case 2:
                    bytes[rng.NextInt(bytes.Length)] = (byte)rng.NextInt(256);
                    break;
                case 3:
                    bytes[rng.NextInt(bytes.Length)] = (byte)alphabet[rng.NextInt(alphabet.Length)];
                    break;
                case 4:
                    bytes = Splice(bytes, rng, duplicate: true);
                    break;
                default:
                    bytes = Splice(bytes, rng, duplicate: false);
                    break;
            }
        }
        return bytes;
    }

    private static byte[] RandomBytes(Rng rng, int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++) bytes[i] = (byte)rng.NextInt(256);
        return bytes;
    }

    /// <summary>Repeats or removes a short span at a random place.</summary>
    private static byte[] Splice(byte[] bytes, Rng rng, bool duplicate)
    {
        int start = rng.NextInt(bytes.Length);
        int length = Math.Min(1 + rng.NextInt(8), bytes.Length - start);
        return duplicate
            ? [.. bytes.AsSpan(0, start + length), .. bytes.AsSpan(start, length), .. bytes.AsSpan(start + length)]
            : [.. bytes.AsSpan(0, start), .. bytes.AsSpan(start + length)];
    }
}

using System.Runtime.InteropServices;
using Tensor = VaeSharp.Tensors.Tensor;

namespace VaeSharp.Autograd;

/// <summary>
/// A convolution kernel in the form that inference multiplies by (for a Winograd convolution, transformed and packed),
/// kept from one inference pass to the next and remade whenever the kernel's values differ from those it was made
/// from. A layer that serves one image at a time then prepares its kernel once instead of on every call, which at
/// batch 1 cost as much as a tenth of the conv preset's time. Recording tapes never use it: training changes the
/// kernel every step and prepares it once per batch anyway. Safe to share among threads, since an entry is replaced
/// whole and never changed in place.
/// </summary>
public sealed class PreparedKernel
{
    private Entry? _entry;

    /// <summary>The kept prepared form, if it was made from exactly <paramref name="kernel"/>'s values; else null.</summary>
    internal Tensor? Find(Tensor kernel)
    {
        var entry = Volatile.Read(ref _entry);
        // Bit for bit, as memcmp: a float compare would take −0 for 0 and never match a NaN.
        return entry is not null && MemoryMarshal.AsBytes(entry.Kernel.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(kernel.Span))
            ? entry.Prepared : null;
    }

    /// <summary>Keeps <paramref name="prepared"/>, made from <paramref name="kernel"/>'s present values, in place of any earlier one; returns it.</summary>
    internal Tensor Keep(Tensor kernel, Tensor prepared)
    {
        Volatile.Write(ref _entry, new Entry(kernel.ToArray(), prepared));
        return prepared;
    }

    /// <summary>The kernel's values when <paramref name="Prepared"/> was made from them.</summary>
    private sealed record Entry(float[] Kernel, Tensor Prepared);
}

using VaeSharp.Autograd;
using VaeSharp.Tensors;

namespace VaeSharp.Nn;

/// <summary>
/// A model's parameters in one flat allocation, and their gradients in another, so an optimizer step is one
/// loop and zeroing the gradients is one clear. Layers declare parameters by dotted name during construction;
/// <see cref="Seal"/> then moves them into the flat buffers. The names are the checkpoint keys.
/// </summary>
public sealed class ParameterSet
{
    private readonly List<(string Name, Var Parameter)> _entries = [];
    private readonly HashSet<string> _names = [];

    /// <summary>All values, in declaration order: (Count).</summary>
    public float[] Values { get; private set; } = [];

    /// <summary>All gradients, aligned with <see cref="Values"/>: (Count).</summary>
    public float[] Gradients { get; private set; } = [];

    /// <summary>Whether <see cref="Seal"/> has run.</summary>
    public bool IsSealed { get; private set; }

    /// <summary>Total number of scalars.</summary>
    public int Count => Values.Length;

    /// <summary>The parameters by name, in declaration order.</summary>
    public IReadOnlyList<(string Name, Var Parameter)> Entries => _entries;

    /// <summary>Declares a zero-initialised parameter; layers fill it with their initialiser.</summary>
    public Var Add(string name, Shape shape)
    {
        if (IsSealed) throw new InvalidOperationException("parameters cannot be added after Seal");
        if (!_names.Add(name)) throw new ArgumentException($"duplicate parameter name '{name}'", nameof(name));
        var parameter = new Var(new Tensor(shape), requiresGrad: true);
        _entries.Add((name, parameter));
        return parameter;
    }

    /// <summary>Moves every parameter into the flat buffers and binds its gradient window.</summary>
    public void Seal()
    {
        if (IsSealed) return;
        int total = 0;
        foreach (var (_, parameter) in _entries) total = checked(total + parameter.Shape.Size);
        Values = new float[total];
        Gradients = new float[total];
        int offset = 0;
        foreach (var (_, parameter) in _entries)
        {
            var shape = parameter.Shape;
            parameter.Value.Span.CopyTo(Values.AsSpan(offset, shape.Size));
            parameter.Value = new Tensor(shape, Values, offset);
            parameter.Grad = new Tensor(shape, Gradients, offset);
            offset += shape.Size;
        }
        IsSealed = true;
    }

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGradients() => Array.Clear(Gradients);
}

using System.Diagnostics.CodeAnalysis;
using VaeSharp.Tensors;

namespace VaeSharp.IO;

/// <summary>
/// The contents of a safetensors file: named float32 tensors in the order the header lists them,
/// and the string-to-string <c>__metadata__</c> map.
/// </summary>
public sealed class SafetensorsFile
{
    private readonly Dictionary<string, Tensor> _byName;

    internal SafetensorsFile(IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        _byName = new Dictionary<string, Tensor>(tensors.Count, StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors) _byName.Add(name, tensor);
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The tensors, in header order.</summary>
    public IReadOnlyList<(string Name, Tensor Tensor)> Tensors { get; }

    /// <summary>The <c>__metadata__</c> entries; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensor called <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> if there is none.</summary>
    public Tensor this[string name] =>
        _byName.TryGetValue(name, out var tensor) ? tensor : throw new KeyNotFoundException($"no tensor named '{name}'");

    /// <summary>Looks up the tensor called <paramref name="name"/>.</summary>
    public bool TryGetTensor(string name, [NotNullWhen(true)] out Tensor? tensor) => _byName.TryGetValue(name, out tensor);
}

namespace VaeSharp.Tensors;

/// <summary>The dimensions of a row-major tensor, outermost first.</summary>
public sealed class Shape : IEquatable<Shape>
{
    private readonly int[] _dims;

    /// <summary>Creates a shape from its dimensions; each must be at least 1.</summary>
    public Shape(params int[] dims)
    {
        long size = 1;
        foreach (var d in dims)
        {
            if (d < 1) throw new ArgumentOutOfRangeException(nameof(dims), $"dimension {d} must be at least 1");
            size *= d;
            if (size > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(dims), "shape has more than 2^31-1 elements");
        }
        _dims = (int[])dims.Clone();
        Size = (int)size;
    }

    /// <summary>Number of dimensions.</summary>
    public int Rank => _dims.Length;

    /// <summary>Total number of elements.</summary>
    public int Size { get; }

    /// <summary>The size of dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int this[int axis] => _dims[axis < 0 ? _dims.Length + axis : axis];

    /// <summary>The dimensions as a read-only list.</summary>
    public IReadOnlyList<int> Dims => _dims;

    /// <summary>Rows when viewed as a matrix: the product of all but the last dimension.</summary>
    public int Rows => Rank == 0 ? 1 : Size / _dims[^1];

    /// <summary>Columns when viewed as a matrix: the last dimension.</summary>
    public int Cols => Rank == 0 ? 1 : _dims[^1];

    /// <inheritdoc />
    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Shape);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var d in _dims) hash.Add(d);
        return hash.ToHashCode();
    }

    /// <summary>Formats as <c>(2, 784)</c>.</summary>
    public override string ToString() => "(" + string.Join(", ", _dims) + ")";
}

namespace VaeSharp.Tensors;

/// <summary>
/// A float32 tensor: a <see cref="Shape"/> over a row-major window of a float array.
/// Immutable by convention once an op has produced it; a window lets many parameters share one flat buffer.
/// </summary>
public sealed class Tensor
{
    /// <summary>Allocates a zero-filled tensor.</summary>
    public Tensor(Shape shape) : this(shape, new float[shape.Size], 0) { }

    /// <summary>Wraps <paramref name="buffer"/> from <paramref name="offset"/>; the window must fit.</summary>
    public Tensor(Shape shape, float[] buffer, int offset = 0)
    {
        if (offset < 0 || (long)offset + shape.Size > buffer.Length)
            throw new ArgumentException($"window of {shape.Size} at {offset} does not fit a buffer of {buffer.Length}");
        Shape = shape;
        Buffer = buffer;
        Offset = offset;
    }

    /// <summary>Creates a tensor of the given dimensions.</summary>
    public static Tensor Zeros(params int[] dims) => new(new Shape(dims));

    /// <summary>Copies <paramref name="values"/> into a new tensor of the given dimensions.</summary>
    public static Tensor FromArray(float[] values, params int[] dims)
    {
        var shape = new Shape(dims);
        if (values.Length != shape.Size) throw new ArgumentException($"{values.Length} values do not fill shape {shape}");
        return new Tensor(shape, (float[])values.Clone());
    }

    /// <summary>The dimensions.</summary>
    public Shape Shape { get; }

    /// <summary>The array that holds the elements (possibly shared with other tensors).</summary>
    public float[] Buffer { get; }

    /// <summary>Index of the first element in <see cref="Buffer"/>.</summary>
    public int Offset { get; }

    /// <summary>Number of elements.</summary>
    public int Size => Shape.Size;

    /// <summary>The elements, row-major.</summary>
    public Span<float> Span => Buffer.AsSpan(Offset, Shape.Size);

    /// <summary>Row <paramref name="row"/> of the tensor viewed as a (Rows, Cols) matrix.</summary>
    public Span<float> Row(int row) => Buffer.AsSpan(Offset + row * Shape.Cols, Shape.Cols);

    /// <summary>A copy of the elements.</summary>
    public float[] ToArray() => Span.ToArray();

    /// <summary>A view with another shape of the same size over the same elements.</summary>
    public Tensor Reshape(params int[] dims)
    {
        var shape = new Shape(dims);
        if (shape.Size != Size) throw new ArgumentException($"cannot reshape {Shape} to {shape}");
        return new Tensor(shape, Buffer, Offset);
    }

    /// <summary>Formats the shape, for debugging.</summary>
    public override string ToString() => $"Tensor{Shape}";
}

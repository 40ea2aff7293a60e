namespace VaeSharp.Tensors;

/// <summary>
/// Recycles float arrays by exact length, so a training step that repeats the same shapes allocates nothing
/// once warm. Not thread-safe: one pool belongs to one tape.
/// </summary>
public sealed class TensorPool
{
    private readonly Dictionary<int, Stack<float[]>> _free = [];
    private readonly List<float[]> _rented = [];

    /// <summary>A tensor whose buffer comes from the pool; zeroed only when <paramref name="clear"/> is set.</summary>
    public Tensor Rent(Shape shape, bool clear)
    {
        float[] buffer;
        if (_free.TryGetValue(shape.Size, out var stack) && stack.Count > 0)
        {
            buffer = stack.Pop();
            if (clear) Array.Clear(buffer);
        }
        else
        {
            buffer = new float[shape.Size];
        }
        _rented.Add(buffer);
        return new Tensor(shape, buffer);
    }

    /// <summary>
    /// Takes back one buffer early, so the next <see cref="Rent"/> of its size can reuse it; a buffer that is not
    /// out on loan from this pool (or already back) is left alone.
    /// </summary>
    /// <returns>Whether the buffer was taken back.</returns>
    public bool Return(float[] buffer)
    {
        int index = _rented.LastIndexOf(buffer); // identity: float[] does not override Equals
        if (index < 0) return false;
        _rented.RemoveAt(index);
        if (!_free.TryGetValue(buffer.Length, out var stack)) _free[buffer.Length] = stack = new Stack<float[]>();
        stack.Push(buffer);
        return true;
    }

    /// <summary>Takes back every buffer rented since the last call; tensors over them must no longer be used.</summary>
    public void ReturnAll()
    {
        foreach (var buffer in _rented)
        {
            if (!_free.TryGetValue(buffer.Length, out var stack)) _free[buffer.Length] = stack = new Stack<float[]>();
            stack.Push(buffer);
        }
        _rented.Clear();
    }
}

namespace VaeSharp.Tensors;

/// <summary>
/// Recycles float arrays, so a training step that repeats the same shapes allocates nothing once warm. A request
/// takes a free array of exactly its length, else the shortest free one up to half as long again (a tensor may be a
/// window at the start of a longer array), so an epoch's short last batch reuses the full batches' arrays instead
/// of keeping a second set alive. Not thread-safe: one pool belongs to one tape.
/// </summary>
public sealed class TensorPool
{
    private readonly Dictionary<int, Stack<float[]>> _free = [];
    private readonly List<float[]> _rented = [];

    /// <summary>A tensor whose buffer comes from the pool; zeroed only when <paramref name="clear"/> is set.</summary>
    public Tensor Rent(Shape shape, bool clear)
    {
        int size = shape.Size;
        float[] buffer;
        if (TakeFree(size) is float[] free)
        {
            buffer = free;
            if (clear) Array.Clear(buffer, 0, size);
        }
        else
        {
            buffer = new float[size];
        }
        _rented.Add(buffer);
        return new Tensor(shape, buffer);
    }

    private float[]? TakeFree(int size)
    {
        if (_free.TryGetValue(size, out var exact) && exact.Count > 0) return exact.Pop();
        Stack<float[]>? best = null;
        int bestLength = int.MaxValue;
        // No more than 1.5 times: a layer that takes a buffer twice its size may leave a later, larger one to allocate.
        foreach (var (length, stack) in _free)
            if (length > size && length - length / 3 <= size && length < bestLength && stack.Count > 0)
                (best, bestLength) = (stack, length);
        return best?.Pop();
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

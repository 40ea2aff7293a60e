using VaeSharp.Kernels;
using VaeSharp.Tensors;

namespace VaeSharp.Autograd;

/// <summary>
/// Records ops in the order they run, which is a topological order, so backward is one reverse walk.
/// Intermediate buffers come from a pool and go back on <see cref="Reset"/>: reuse one tape across steps.
/// A tape built with <c>recording: false</c> is for inference: ops then keep no gradients or closures.
/// </summary>
public sealed class Tape
{
    private readonly List<Var> _nodes = [];
    private readonly TensorPool? _pool;

    private readonly Dictionary<Tensor, float[]>? _packedWeights; // per weight tensor, W as the GEMM reads it

    /// <summary>Creates a tape.</summary>
    /// <param name="recording">Record ops for <see cref="Backward"/>.</param>
    /// <param name="pooled">Take buffers from a pool that <see cref="Reset"/> refills; tensors produced on a
    /// pooled tape are only valid until then.</param>
    /// <param name="fixedWeights">For inference on weights that stay as they are while the tape serves them, as an ONNX
    /// Runtime session takes its weights: a dense layer's weights are then packed for the matrix product the first
    /// time the tape runs the layer, and that packing serves every later call, where a plain tape packs them on every
    /// call (packing once made keras-mlp's inference at batch 1000 6–10% faster). The results are bit for bit those of
    /// a plain tape. Make a new tape after changing the weights. Not for a recording tape, whose weights change every
    /// step.</param>
    /// <exception cref="ArgumentException"><paramref name="fixedWeights"/> on a recording tape.</exception>
    public Tape(bool recording = true, bool pooled = true, bool fixedWeights = false)
    {
        if (recording && fixedWeights) throw new ArgumentException("a recording tape trains its weights, so they are not fixed", nameof(fixedWeights));
        IsRecording = recording;
        _pool = pooled ? new TensorPool() : null;
        _packedWeights = fixedWeights ? new(ReferenceEqualityComparer.Instance) : null;
    }

    /// <summary>Whether ops are recorded for backward.</summary>
    public bool IsRecording { get; }

    /// <summary>Whether the tape was made with fixed weights, so that it keeps what it prepares from them.</summary>
    public bool HasFixedWeights => _packedWeights is not null;

    /// <summary>
    /// On a tape with fixed weights, a dense layer's W (in, out) packed as the tiled kernel reads it, which the row
    /// kernel reads too (<see cref="Gemm.PackWeights"/>), made on the first call and kept for the tape's life.
    /// </summary>
    /// <exception cref="InvalidOperationException">The tape's weights are not fixed.</exception>
    internal float[] PackedWeight(Tensor weight)
    {
        if (_packedWeights is null) throw new InvalidOperationException("only a tape with fixed weights keeps packed weights");
        if (!_packedWeights.TryGetValue(weight, out var packed))
            _packedWeights[weight] = packed = Gemm.PackWeights(weight.Shape.Cols, weight.Shape.Rows, weight.Span);
        return packed;
    }

    /// <summary>Number of recorded nodes.</summary>
    public int Count => _nodes.Count;

    /// <summary>A buffer for an op's output; contents are undefined unless <paramref name="clear"/>.</summary>
    internal Tensor NewTensor(Shape shape, bool clear = false) =>
        _pool is null ? new Tensor(shape) : _pool.Rent(shape, clear);

    /// <summary>
    /// On a pooled tape that does not record, hands <paramref name="consumed"/>'s buffer back to the pool once
    /// <paramref name="produced"/> has been computed from it, so an inference pass holds a layer or two at a time
    /// rather than every activation of the batch. It keeps the buffer when recording (backward will read it), when
    /// <paramref name="produced"/> or <paramref name="keep"/> is a view of the same array, or when the pool never lent it.
    /// </summary>
    internal void Release(Var consumed, Var produced, Var keep)
    {
        if (IsRecording || _pool is null) return;
        var buffer = consumed.Value.Buffer;
        if (ReferenceEquals(buffer, produced.Value.Buffer) || ReferenceEquals(buffer, keep.Value.Buffer)) return;
        _pool.Return(buffer);
    }

    /// <summary>Wraps an op's output; it needs a gradient when recording and any input needs one.</summary>
    internal Var Output(Tensor value, bool anyInputRequiresGrad) =>
        new(value, IsRecording && anyInputRequiresGrad);

    /// <summary>Registers <paramref name="output"/> with the step that propagates its gradient.</summary>
    internal void Record(Var output, Action backwardStep)
    {
        if (!output.RequiresGrad) return;
        output.BackwardStep = backwardStep;
        _nodes.Add(output);
    }

    /// <summary>The gradient buffer of <paramref name="node"/>, zero-filled on first use.</summary>
    internal Tensor GradOf(Var node) => node.Grad ??= NewTensor(node.Shape, clear: true);

    /// <summary>
    /// The gradient buffer of <paramref name="node"/> for a step that writes every element: on first use it is not
    /// cleared and <paramref name="overwrite"/> is set, so the caller stores (or runs a GEMM with beta 0) instead of
    /// adding, saving one pass over the buffer.
    /// </summary>
    internal Tensor GradOf(Var node, out bool overwrite)
    {
        overwrite = node.Grad is null;
        return node.Grad ??= NewTensor(node.Shape);
    }

    /// <summary>
    /// Propagates d(loss)/d(loss) = 1 back through every recorded node, accumulating into parameters. On a pooled
    /// tape an op output's gradient is handed back as soon as its own step has run, so afterwards only the leaves
    /// (parameters, and inputs that require a gradient) keep theirs.
    /// </summary>
    public void Backward(Var loss)
    {
        if (!IsRecording) throw new InvalidOperationException("this tape does not record; create it with recording: true");
        if (loss.Shape.Size != 1) throw new ArgumentException($"loss must be a scalar, not {loss.Shape}", nameof(loss));
        if (!loss.RequiresGrad) throw new ArgumentException("loss does not depend on any parameter", nameof(loss));
        GradOf(loss).Span[0] = 1f;
        for (int i = _nodes.Count - 1; i >= 0; i--)
        {
            var node = _nodes[i];
            if (node.Grad is not { } grad) continue;
            node.BackwardStep!();
            // Every consumer of the node came later and has run, so its gradient is dead: the ops still to run can
            // reuse the buffer, and backward holds a frontier of gradients rather than one per activation.
            if (_pool is not null && _pool.Return(grad.Buffer)) node.Grad = null;
        }
    }

    /// <summary>Forgets every node and returns the pooled buffers; call between steps.</summary>
    public void Reset()
    {
        foreach (var node in _nodes)
        {
            node.Grad = null;
            node.BackwardStep = null;
        }
        _nodes.Clear();
        _pool?.ReturnAll();
    }
}

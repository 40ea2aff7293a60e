using System.Buffers;
using System.Numerics.Tensors;
using Tensor = VaeSharp.Tensors.Tensor;

namespace VaeSharp.Autograd;

/// <summary>
/// A layer's weight and bias gradients while workers share its rows (see <see cref="ConvChunks"/>): worker 0 adds
/// into the tape's gradients, every other worker into its own zeroed buffer, and <see cref="Combine"/> adds those in
/// worker order once all are done, so a run with the same thread count gives the same sums.
/// </summary>
internal sealed class WorkerGradients
{
    private readonly Tensor? _weight, _bias;
    private readonly float[][] _partials; // per worker from 1: (weight size + bias size)

    /// <summary>Gradients to share among <paramref name="workers"/>; a null tensor is one the layer does not need.</summary>
    public WorkerGradients(Tensor? weight, Tensor? bias, int workers)
    {
        _weight = weight;
        _bias = bias;
        _partials = new float[workers - 1][];
        int floats = WeightSize + (bias?.Size ?? 0);
        for (int i = 0; i < _partials.Length; i++)
        {
            _partials[i] = ArrayPool<float>.Shared.Rent(floats);
            _partials[i].AsSpan(0, floats).Clear();
        }
    }

    private int WeightSize => _weight?.Size ?? 0;

    /// <summary>Whether the weight gradient is wanted.</summary>
    public bool HasWeight => _weight is not null;

    /// <summary>Whether the bias gradient is wanted.</summary>
    public bool HasBias => _bias is not null;

    /// <summary>Where worker <paramref name="worker"/> adds its share of the weight gradient.</summary>
    public Span<float> Weight(int worker) =>
        worker == 0 ? _weight!.Span : _partials[worker - 1].AsSpan(0, WeightSize);

    /// <summary>Where worker <paramref name="worker"/> adds its share of the bias gradient.</summary>
    public Span<float> Bias(int worker) =>
        worker == 0 ? _bias!.Span : _partials[worker - 1].AsSpan(WeightSize, _bias!.Size);

    /// <summary>Adds the other workers' shares into the tape's gradients, in worker order, and returns their buffers.</summary>
    public void Combine()
    {
        for (int i = 0; i < _partials.Length; i++)
        {
            if (_weight is not null) TensorPrimitives.Add(_weight.Span, Weight(i + 1), _weight.Span);
            if (_bias is not null) TensorPrimitives.Add(_bias.Span, Bias(i + 1), _bias.Span);
            ArrayPool<float>.Shared.Return(_partials[i]);
        }
    }
}

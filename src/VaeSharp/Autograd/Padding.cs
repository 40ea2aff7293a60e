namespace VaeSharp.Autograd;

/// <summary>How a convolution treats the image border, with Keras's names and TensorFlow's arithmetic.</summary>
public enum Padding
{
    /// <summary>
    /// Pad with zeros so that a convolution gives ceil(size / stride) outputs per axis, and a transposed convolution
    /// size·stride. When the pad is odd, the extra row and column go at the bottom and right, as TensorFlow does
    /// (PyTorch's symmetric <c>padding=k/2</c> pads the top instead, so its outputs are shifted by a pixel).
    /// </summary>
    Same,

    /// <summary>No padding: a convolution gives (size − kernel) / stride + 1 outputs, a transposed one (size − 1)·stride + kernel.</summary>
    Valid,
}

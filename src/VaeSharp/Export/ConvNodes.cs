using VaeSharp.Autograd;
using VaeSharp.Nn;

namespace VaeSharp.Export;

/// <summary>
/// Conv2D and ConvTranspose2D as ONNX Conv and ConvTranspose on NCHW images. The kernels are permuted from the
/// engine's layouts into ONNX's, and the 'same' padding is written out as explicit pads with TensorFlow's split (the
/// odd row and column at the bottom and right), which ONNX's own SAME_UPPER/SAME_LOWER do not match for a transpose.
/// </summary>
internal static class ConvNodes
{
    /// <summary>Conv: kernel (kH, kW, inC, outC) → ONNX's (outC, inC, kH, kW); pads [top, left, bottom, right].</summary>
    public static OnnxFlow Conv(OnnxGraph graph, Conv2D layer, OnnxFlow x)
    {
        x = ShapeNodes.ChannelsFirst(graph, x, layer.Name);
        int k = layer.KernelSize, s = layer.Stride;
        var (outH, top) = ConvGeometry.ConvAxis(x.Example[0], k, s, layer.Padding);
        var (outW, left) = ConvGeometry.ConvAxis(x.Example[1], k, s, layer.Padding);
        // The rows past the last window's end are padding only as far as that window reaches; 'valid' has none.
        long bottom = Math.Max(0, (outH - 1) * s + k - x.Example[0] - top);
        long right = Math.Max(0, (outW - 1) * s + k - x.Example[1] - left);
        var weight = graph.Initializer(layer.Name + ".weight", [layer.OutChannels, layer.InChannels, k, k],
            Permute(layer.Weight.Value.Span, k, k, layer.InChannels, layer.OutChannels));
        var bias = graph.Initializer(layer.Name + ".bias", [layer.OutChannels], layer.Bias.Value.Span);
        var output = graph.Node("Conv", layer.Name, [x.Tensor, weight, bias],
        [
            OnnxAttribute.Of("kernel_shape", k, k), OnnxAttribute.Of("strides", s, s), OnnxAttribute.Of("pads", top, left, bottom, right),
        ]);
        return new(output, layer.OutputShape(x.Example), ChannelsFirst: true);
    }

    /// <summary>
    /// ConvTranspose: kernel (kH, kW, outC, inC) → ONNX's (inC, outC, kH, kW). Both are the adjoint of a convolution
    /// whose window starts pad rows before the output, so pads begin with the engine's and end with whatever makes
    /// ONNX's size (in − 1)·stride + k − pads + output_padding the engine's; a shortfall becomes output_padding.
    /// </summary>
    public static OnnxFlow ConvTranspose(OnnxGraph graph, ConvTranspose2D layer, OnnxFlow x)
    {
        x = ShapeNodes.ChannelsFirst(graph, x, layer.Name);
        int k = layer.KernelSize, s = layer.Stride;
        var (outH, top) = ConvGeometry.TransposeAxis(x.Example[0], k, s, layer.Padding, layer.OutputPadding);
        var (outW, left) = ConvGeometry.TransposeAxis(x.Example[1], k, s, layer.Padding, layer.OutputPadding);
        long endH = (x.Example[0] - 1) * s + k - top - outH, endW = (x.Example[1] - 1) * s + k - left - outW;
        var weight = graph.Initializer(layer.Name + ".weight", [layer.InChannels, layer.OutChannels, k, k],
            Permute(layer.Weight.Value.Span, k, k, layer.OutChannels, layer.InChannels));
        var bias = graph.Initializer(layer.Name + ".bias", [layer.OutChannels], layer.Bias.Value.Span);
        var output = graph.Node("ConvTranspose", layer.Name, [x.Tensor, weight, bias],
        [
            OnnxAttribute.Of("kernel_shape", k, k), OnnxAttribute.Of("strides", s, s),
            OnnxAttribute.Of("pads", top, left, Math.Max(endH, 0), Math.Max(endW, 0)),
            OnnxAttribute.Of("output_padding", Math.Max(-endH, 0), Math.Max(-endW, 0)),
        ]);
        return new(output, layer.OutputShape(x.Example), ChannelsFirst: true);
    }

    /// <summary>A kernel (kH, kW, a, b) as (b, a, kH, kW): the engine's conv and transposed-conv kernels in ONNX's order.</summary>
    private static float[] Permute(ReadOnlySpan<float> kernel, int kernelH, int kernelW, int a, int b)
    {
        var permuted = new float[kernel.Length]; // permuted: (b, a, kH, kW)
        for (int h = 0; h < kernelH; h++)
            for (int w = 0; w < kernelW; w++)
                for (int i = 0; i < a; i++)
                    for (int j = 0; j < b; j++)
                        permuted[((j * a + i) * kernelH + h) * kernelW + w] = kernel[((h * kernelW + w) * a + i) * b + j];
        return permuted;
    }
}

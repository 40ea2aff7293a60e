using System.Numerics.Tensors;
using VaeSharp.Kernels;
using Tensor = VaeSharp.Tensors.Tensor;

namespace VaeSharp.Autograd;

/// <summary>
/// 2-D convolution through im2col and the packed GEMM, one chunk of rows at a time (see <see cref="ConvChunks"/>);
/// a stride-1 3×3 one with channels in whole vectors runs its forward pass and dx through Winograd's F(2×2, 3×3)
/// instead (see <see cref="WinogradConv"/>).
/// <para>
/// Images are NHWC, (batch, height, width, channels), row-major, throughout the engine. Two things follow: a Dense
/// layer's (batch, features) view of an image is a plain reshape, with no transpose, and each receptive field is
/// kernelW·channels contiguous floats per kernel row, so im2col copies runs rather than scattering single values.
/// </para>
/// <para>
/// The kernel is stored (kH, kW, inC, outC), as Keras stores it, so that columns (batch·outH·outW, kH·kW·inC) times
/// the kernel viewed as (kH·kW·inC, outC) is the output (batch·outH·outW, outC), which is already NHWC.
/// </para>
/// </summary>
public static class ConvOps
{
    /// <summary>y = conv(x, W) + b for x (batch, height, width, inC), W (kH, kW, inC, outC), b (outC).</summary>
    /// <param name="tape">The tape to record on.</param>
    /// <param name="x">The images, NHWC.</param>
    /// <param name="weight">The kernel, (kH, kW, inC, outC).</param>
    /// <param name="bias">One bias per output channel.</param>
    /// <param name="stride">Step between windows along both axes.</param>
    /// <param name="padding">Border handling; see <see cref="Padding"/>.</param>
    /// <param name="relu">Return max(y, 0) instead, applied as each tile of a chunk leaves the GEMM.</param>
    /// <param name="prepared">Where a non-recording tape keeps the kernel in the form it multiplies by, for the next call.</param>
    /// <returns>(batch, outH, outW, outC).</returns>
    public static Var Conv2D(this Tape tape, Var x, Var weight, Var bias, int stride, Padding padding, bool relu = false,
        PreparedKernel? prepared = null)
    {
        if (x.Shape.Rank != 4 || weight.Shape.Rank != 4 || weight.Shape[2] != x.Shape[3] || bias.Shape.Size != weight.Shape[3])
            throw new ArgumentException($"Conv2D: x {x.Shape} (batch, h, w, inC), weight {weight.Shape} (kH, kW, inC, outC), " +
                $"bias {bias.Shape} (outC) do not fit");
        int outChannels = weight.Shape[3];
        var geometry = ConvGeometry.ForConv(x.Shape, weight.Shape[0], weight.Shape[1], stride, padding);
        if (outChannels == 1) return SingleFilter(tape, x, weight, bias, geometry, relu);
        if (WinogradConv.Fits(geometry, outChannels)) return ThroughWinograd(tape, x, weight, bias, geometry, relu, prepared);
        var chunks = new ConvChunks(geometry);
        long multiplyAddsPerRow = (long)geometry.PatchSize * outChannels;

        var y = tape.NewTensor(new(geometry.Batch, geometry.OutH, geometry.OutW, outChannels)); // y: (batch, outH, outW, outC)
        // Forward writes only its own rows of y, so any split of the rows will do, even within one image.
        int forwardWorkers = chunks.Workers(multiplyAddsPerRow, wholeImages: false);
        ParallelParts.Run(new Forward(chunks, forwardWorkers, x.Value, weight.Value, bias.Value, y, relu), forwardWorkers);

        var output = tape.Output(y, x.RequiresGrad || weight.RequiresGrad || bias.RequiresGrad);
        tape.Record(output, () =>
            RunBackward(tape, chunks, x, weight, bias, y, output.Grad!, relu, x.RequiresGrad ? tape.GradOf(x) : null));
        return output;
    }

    /// <summary>
    /// The im2col backward of a convolution: the ReLU's gate, db, dW and, when <paramref name="dx"/> is given, dx.
    /// It folds into dx, so each worker takes whole images; dx's share is another row product.
    /// </summary>
    private static void RunBackward(Tape tape, ConvChunks chunks, Var x, Var weight, Var bias, Tensor y, Tensor dy, bool relu,
        Tensor? dx)
    {
        long multiplyAddsPerRow = (long)weight.Shape.Size * (dx is null ? 1 : 2); // patch · outC per product
        int workers = chunks.Workers(multiplyAddsPerRow, wholeImages: true);
        var shared = new WorkerGradients(weight.RequiresGrad ? tape.GradOf(weight) : null,
            bias.RequiresGrad ? tape.GradOf(bias) : null, workers);
        ParallelParts.Run(new Backward(chunks, workers, x.Value, weight.Value, y, dy, relu, shared, dx), workers);
        shared.Combine();
    }

    /// <summary>A worker's rows of y = conv(x, W) + b: each chunk unfolded, multiplied into y, then gated.</summary>
    private readonly struct Forward(ConvChunks chunks, int workers, Tensor x, Tensor weight, Tensor bias, Tensor y, bool relu)
        : IPartBody
    {
        public void Run(int worker)
        {
            var (first, end) = chunks.WorkerRows(worker, workers, wholeImages: false);
            int patch = weight.Size / weight.Shape[3], outChannels = weight.Shape[3];
            float[] scratch = chunks.Rent();
            try
            {
                for (int row = first; row < end; row += chunks.RowsPerChunk)
                {
                    int rows = Math.Min(chunks.RowsPerChunk, end - row);
                    var columns = scratch.AsSpan(0, rows * patch); // columns: (rows, kH·kW·inC)
                    chunks.Unfold(workers, x.Span, row, rows, columns);
                    var yRows = y.Span.Slice(row * outChannels, rows * outChannels); // yRows: (rows, outC)
                    ConvChunks.MultiplyAffine(workers, rows, outChannels, patch, columns, weight.Span, bias.Span, relu, yRows);
                }
            }
            finally
            {
                ConvChunks.Return(scratch);
            }
        }
    }

    /// <summary>A worker's whole images of backward: the ReLU's gate, its shares of db and dW, and its images of dx.</summary>
    private readonly struct Backward(ConvChunks chunks, int workers, Tensor x, Tensor weight, Tensor y, Tensor dy, bool relu,
        WorkerGradients shared, Tensor? dx) : IPartBody
    {
        public void Run(int worker)
        {
            var (first, end) = chunks.WorkerRows(worker, workers, wholeImages: true);
            int patch = weight.Size / weight.Shape[3], outChannels = weight.Shape[3];
            var dyRun = dy.Span.Slice(first * outChannels, (end - first) * outChannels); // dyRun: (rows, outC)
            // Nothing reads this node's gradient after its own step, so the ReLU's gate can be applied in place.
            if (relu) Elementwise.ReluBackward(dyRun, y.Span.Slice(first * outChannels, dyRun.Length), dyRun, accumulate: false);
            if (shared.HasBias) Elementwise.AddRows(dyRun, shared.Bias(worker)); // db += column sums of dy : (outC)
            // dW += Σ window ⊗ dy : (kH·kW·inC, outC), from the image itself where the outputs are few, else from
            // the chunks' columns, unfolded again
            bool narrowWeight = shared.HasWeight && chunks.Geometry.TakesNarrowWeightGradient(outChannels);
            bool columnsWeight = shared.HasWeight && !narrowWeight;
            if (narrowWeight) chunks.Geometry.AccumulateNarrowWeightGradient(x.Span, dy.Span, shared.Weight(worker), first, end);
            if (!columnsWeight && dx is null) return;
            float[] columnsScratch = chunks.Rent(), gradientScratch = chunks.Rent();
            try
            {
                for (int row = first; row < end; row += chunks.RowsPerChunk)
                {
                    int rows = Math.Min(chunks.RowsPerChunk, end - row);
                    var dyRows = dy.Span.Slice(row * outChannels, rows * outChannels); // dyRows: (rows, outC)
                    if (columnsWeight)
                    {
                        var columns = columnsScratch.AsSpan(0, rows * patch); // columns: (rows, kH·kW·inC)
                        chunks.Unfold(workers, x.Span, row, rows, columns);
                        ConvChunks.Multiply(workers, true, false, patch, outChannels, rows, columns, dyRows, 1f, shared.Weight(worker));
                    }
                    if (dx is not null) // dx += col2im(dy·Wᵀ) : (batch, h, w, inC), this worker's images only
                    {
                        var dColumns = gradientScratch.AsSpan(0, rows * patch); // dColumns: (rows, kH·kW·inC)
                        ConvChunks.Multiply(workers, false, true, rows, patch, outChannels, dyRows, weight.Span, 0f, dColumns);
                        chunks.Fold(workers, dColumns, row, rows, dx.Span);
                    }
                }
            }
            finally
            {
                ConvChunks.Return(gradientScratch);
                ConvChunks.Return(columnsScratch);
            }
        }
    }

    /// <summary>
    /// A stride-1 3×3 convolution through Winograd's F(2×2, 3×3) (see <see cref="WinogradConv"/>): forward and dx so,
    /// the ReLU's gate, db and dW as the im2col path does them, since dW correlates x with dy rather than filtering.
    /// </summary>
    private static Var ThroughWinograd(Tape tape, Var x, Var weight, Var bias, ConvGeometry g, bool relu, PreparedKernel? prepared)
    {
        int outChannels = weight.Shape[3];
        var forward = WinogradConv.Forward(g, outChannels);
        Tensor? transformed = null; // (16, inC, outC), kept for dx; a kept prepared kernel serves only non-recording tapes
        var packed = !tape.IsRecording && prepared is not null
            ? prepared.Find(weight.Value) ?? prepared.Keep(weight.Value, PackWinograd(weight, forward,
                new Tensor(new(Winograd.Positions, g.Channels, outChannels)), new Tensor(new(forward.PackedKernelFloats))))
            : PackWinograd(weight, forward, transformed = tape.NewTensor(new(Winograd.Positions, g.Channels, outChannels)),
                tape.NewTensor(new(forward.PackedKernelFloats))); // packed: U as 16 GEMM operands
        var y = tape.NewTensor(new(g.Batch, g.OutH, g.OutW, outChannels)); // y: (batch, outH, outW, outC)
        forward.Run(x.Value, packed, bias.Value, relu, y);

        var output = tape.Output(y, x.RequiresGrad || weight.RequiresGrad || bias.RequiresGrad);
        tape.Record(output, () =>
        {
            RunBackward(tape, new ConvChunks(g), x, weight, bias, y, output.Grad!, relu, dx: null);
            if (!x.RequiresGrad) return;
            var inputGradient = WinogradConv.InputGradient(g, outChannels); // dx += conv(gated dy, W turned)
            var turned = tape.NewTensor(new(inputGradient.PackedKernelFloats)); // turned: U turned, as 16 GEMM operands
            inputGradient.PackKernel(transformed!, turned: true, turned);
            inputGradient.Run(output.Grad!, turned, bias: null, relu: false, tape.GradOf(x));
        });
        return output;
    }

    /// <summary>Transforms the kernel into <paramref name="transformed"/> (16, inC, outC) and packs it into <paramref name="packed"/>, which it returns.</summary>
    private static Tensor PackWinograd(Var weight, WinogradConv forward, Tensor transformed, Tensor packed)
    {
        Winograd.TransformKernel(weight.Value.Span, forward.InC, forward.OutC, transformed.Span);
        forward.PackKernel(transformed, turned: false, packed);
        return packed;
    }

    /// <summary>
    /// One output channel: the dot product of each window with the kernel where the window lies, with no columns
    /// (see <see cref="SingleFilterConv"/>); the same sums as the GEMM path, in another order.
    /// </summary>
    private static Var SingleFilter(Tape tape, Var x, Var weight, Var bias, ConvGeometry g, bool relu)
    {
        var chunks = new ConvChunks(g);
        var y = tape.NewTensor(new(g.Batch, g.OutH, g.OutW, 1)); // y: (batch, outH, outW, 1)
        int forwardWorkers = chunks.Workers(g.PatchSize, wholeImages: false);
        ParallelParts.Run(new SingleFilterForward(g, chunks, forwardWorkers, x.Value, weight.Value, bias.Value, y, relu), forwardWorkers);

        var output = tape.Output(y, x.RequiresGrad || weight.RequiresGrad || bias.RequiresGrad);
        tape.Record(output, () =>
        {
            int workers = chunks.Workers(g.PatchSize * (x.RequiresGrad ? 2 : 1), wholeImages: true);
            var shared = new WorkerGradients(weight.RequiresGrad ? tape.GradOf(weight) : null,
                bias.RequiresGrad ? tape.GradOf(bias) : null, workers);
            var dx = x.RequiresGrad ? tape.GradOf(x) : null;
            ParallelParts.Run(new SingleFilterBackward(g, chunks, workers, x.Value, weight.Value, y, output.Grad!, relu, shared, dx), workers);
            shared.Combine();
        });
        return output;
    }

    /// <summary>A worker's outputs of the one-filter convolution: bias, window dot products, gate.</summary>
    private readonly struct SingleFilterForward(ConvGeometry g, ConvChunks chunks, int workers, Tensor x, Tensor weight,
        Tensor bias, Tensor y, bool relu) : IPartBody
    {
        public void Run(int worker)
        {
            var (first, end) = chunks.WorkerRows(worker, workers, wholeImages: false);
            var yRows = y.Span[first..end]; // yRows: this worker's outputs
            yRows.Fill(bias.Span[0]);
            SingleFilterConv.Forward(x.Span, weight.Span, y.Span,
                g.Height, g.Width, g.Channels, g.KernelH, g.KernelW, g.Stride, g.PadTop, g.PadLeft, g.OutH, g.OutW, first, end - first);
            if (relu) TensorPrimitives.Max(yRows, 0f, yRows);
        }
    }

    /// <summary>A worker's whole images of the one-filter backward: gate, its shares of db and dW, its images of dx.</summary>
    private readonly struct SingleFilterBackward(ConvGeometry g, ConvChunks chunks, int workers, Tensor x, Tensor weight,
        Tensor y, Tensor dy, bool relu, WorkerGradients shared, Tensor? dx) : IPartBody
    {
        public void Run(int worker)
        {
            var (first, end) = chunks.WorkerRows(worker, workers, wholeImages: true);
            var dyRows = dy.Span[first..end]; // dyRows: this worker's outputs' gradient
            if (relu) Elementwise.ReluBackward(dyRows, y.Span[first..end], dyRows, accumulate: false);
            if (shared.HasBias) shared.Bias(worker)[0] += TensorPrimitives.Sum(dyRows);
            if (shared.HasWeight) // dW += Σ dy·window : (kH·kW·inC)
                SingleFilterConv.AccumulateKernelGradient(x.Span, dy.Span, shared.Weight(worker),
                    g.Height, g.Width, g.Channels, g.KernelH, g.KernelW, g.Stride, g.PadTop, g.PadLeft, g.OutH, g.OutW, first, end - first);
            if (dx is not null) // dx += dy·W over each window : (batch, h, w, inC)
                SingleFilterConv.AccumulateImageGradient(weight.Span, dy.Span, dx.Span,
                    g.Height, g.Width, g.Channels, g.KernelH, g.KernelW, g.Stride, g.PadTop, g.PadLeft, g.OutH, g.OutW, first, end - first);
        }
    }
}

using System.Numerics.Tensors;
using VaeSharp.Kernels;
using Tensor = VaeSharp.Tensors.Tensor;

namespace VaeSharp.Autograd;

/// <summary>
/// 2-D transposed convolution: the adjoint of the convolution that maps its output back to its input, so forward
/// is a matrix product and col2im, and backward is im2col and one matrix product per gradient, each one chunk of
/// rows at a time (see <see cref="ConvChunks"/>). Images are NHWC
/// (see <see cref="ConvOps"/>).
/// <para>
/// The kernel is stored (kH, kW, outC, inC), as Keras stores Conv2DTranspose's: it is the (kH, kW, inC', outC')
/// kernel of that adjoint convolution, whose input has our outC channels and whose output has our inC. Viewed as
/// (kH·kW·outC, inC) it needs no copy: x (batch·h·w, inC) times its transpose gives the columns directly.
/// </para>
/// </summary>
public static class ConvTransposeOps
{
    /// <summary>y = convᵀ(x, W) + b for x (batch, height, width, inC), W (kH, kW, outC, inC), b (outC).</summary>
    /// <param name="tape">The tape to record on.</param>
    /// <param name="x">The images, NHWC.</param>
    /// <param name="weight">The kernel, (kH, kW, outC, inC).</param>
    /// <param name="bias">One bias per output channel.</param>
    /// <param name="stride">Upsampling factor along both axes.</param>
    /// <param name="padding">Same gives height·stride rows, valid (height − 1)·stride + kH; see <see cref="Padding"/>.</param>
    /// <param name="outputPadding">Extra rows and columns at the bottom and right, in [0, stride).</param>
    /// <param name="relu">Return max(y, 0) instead.</param>
    /// <returns>(batch, outH, outW, outC).</returns>
    public static Var ConvTranspose2D(this Tape tape, Var x, Var weight, Var bias, int stride, Padding padding,
        int outputPadding = 0, bool relu = false)
    {
        if (x.Shape.Rank != 4 || weight.Shape.Rank != 4 || weight.Shape[3] != x.Shape[3] || bias.Shape.Size != weight.Shape[2])
            throw new ArgumentException($"ConvTranspose2D: x {x.Shape} (batch, h, w, inC), weight {weight.Shape} " +
                $"(kH, kW, outC, inC), bias {bias.Shape} (outC) do not fit");
        int inChannels = x.Shape[3], outChannels = weight.Shape[2];
        // The image of this geometry is our output, and its window positions are our input pixels.
        var geometry = ConvGeometry.ForTranspose(x.Shape, outChannels, weight.Shape[0], weight.Shape[1], stride, padding, outputPadding);
        var chunks = new ConvChunks(geometry);
        long multiplyAddsPerRow = (long)geometry.PatchSize * inChannels;

        var y = tape.NewTensor(new(geometry.Batch, geometry.Height, geometry.Width, outChannels)); // y: (batch, outH, outW, outC)
        // Forward folds into y and backward reads windows of dy, so each worker takes whole images both ways.
        int forwardWorkers = chunks.Workers(multiplyAddsPerRow, wholeImages: true);
        ParallelParts.Run(new Forward(chunks, forwardWorkers, x.Value, weight.Value, bias.Value, y, relu), forwardWorkers);

        var output = tape.Output(y, x.RequiresGrad || weight.RequiresGrad || bias.RequiresGrad);
        tape.Record(output, () =>
        {
            int workers = chunks.Workers(multiplyAddsPerRow * (x.RequiresGrad ? 2 : 1), wholeImages: true);
            var shared = new WorkerGradients(weight.RequiresGrad ? tape.GradOf(weight) : null,
                bias.RequiresGrad ? tape.GradOf(bias) : null, workers);
            var dx = x.RequiresGrad ? tape.GradOf(x) : null;
            ParallelParts.Run(new Backward(chunks, workers, x.Value, weight.Value, y, output.Grad!, relu, shared, dx), workers);
            shared.Combine();
        });
        return output;
    }

    /// <summary>A worker's whole images of y = convᵀ(x, W) + b: each chunk multiplied into columns and folded into y.</summary>
    private readonly struct Forward(ConvChunks chunks, int workers, Tensor x, Tensor weight, Tensor bias, Tensor y, bool relu)
        : IPartBody
    {
        public void Run(int worker)
        {
            var (first, end) = chunks.WorkerRows(worker, workers, wholeImages: true);
            int inChannels = x.Shape[3], outChannels = y.Shape[3], patch = weight.Size / inChannels;
            int pixelsPerImage = y.Shape[1] * y.Shape[2], positionsPerImage = x.Shape[1] * x.Shape[2];
            int firstPixel = first / positionsPerImage * pixelsPerImage, pixels = (end - first) / positionsPerImage * pixelsPerImage;
            int imageFloats = pixelsPerImage * outChannels;
            var yImages = y.Span.Slice(firstPixel * outChannels, pixels * outChannels); // yImages: this worker's images of y
            // Each image gets its bias just before the first chunk that folds into it and its ReLU just after the last,
            // while it is still in cache: over the whole share at once, the two passes read and wrote the 100 MB output
            // of conv's batch of 1000 from memory twice more.
            int biased = 0, final = 0; // images of this worker's share that have their bias, that are final
            float[] scratch = chunks.Rent();
            try
            {
                for (int row = first; row < end; row += chunks.RowsPerChunk)
                {
                    int rows = Math.Min(chunks.RowsPerChunk, end - row);
                    int touched = (row + rows - first + positionsPerImage - 1) / positionsPerImage;
                    for (; biased < touched; biased++)
                        Elementwise.FillRows(yImages.Slice(biased * imageFloats, imageFloats), bias.Span);
                    var columns = scratch.AsSpan(0, rows * patch); // columns: (rows, kH·kW·outC) = x·Wᵀ
                    ConvChunks.Multiply(workers, false, true, rows, patch, inChannels,
                        x.Span.Slice(row * inChannels, rows * inChannels), weight.Span, 0f, columns);
                    chunks.Fold(workers, columns, row, rows, y.Span);
                    // An image is final once every chunk whose windows cover it has been folded in: those up to here.
                    int complete = (row + rows - first) / positionsPerImage;
                    if (relu && complete > final)
                    {
                        var done = yImages.Slice(final * imageFloats, (complete - final) * imageFloats); // done: the images just made final
                        TensorPrimitives.Max(done, 0f, done);
                    }
                    final = complete;
                }
            }
            finally
            {
                ConvChunks.Return(scratch);
            }
        }
    }

    /// <summary>A worker's whole images of backward: the ReLU's gate, its shares of db and dW, and its rows of dx.</summary>
    private readonly struct Backward(ConvChunks chunks, int workers, Tensor x, Tensor weight, Tensor y, Tensor dy, bool relu,
        WorkerGradients shared, Tensor? dx) : IPartBody
    {
        public void Run(int worker)
        {
            var (first, end) = chunks.WorkerRows(worker, workers, wholeImages: true);
            int inChannels = x.Shape[3], outChannels = y.Shape[3], patch = weight.Size / inChannels;
            int pixelsPerImage = y.Shape[1] * y.Shape[2], positionsPerImage = x.Shape[1] * x.Shape[2];
            int firstPixel = first / positionsPerImage * pixelsPerImage, pixels = (end - first) / positionsPerImage * pixelsPerImage;
            var dyImages = dy.Span.Slice(firstPixel * outChannels, pixels * outChannels); // dyImages: this worker's images of dy
            // Nothing reads this node's gradient after its own step, so the ReLU's gate can be applied in place.
            if (relu) Elementwise.ReluBackward(dyImages, y.Span.Slice(firstPixel * outChannels, dyImages.Length), dyImages, accumulate: false);
            if (shared.HasBias) Elementwise.AddRows(dyImages, shared.Bias(worker)); // db += column sums of dy : (outC)
            if (!shared.HasWeight && dx is null) return;
            float[] gradientScratch = chunks.Rent();
            try
            {
                for (int row = first; row < end; row += chunks.RowsPerChunk)
                {
                    int rows = Math.Min(chunks.RowsPerChunk, end - row);
                    var dColumns = gradientScratch.AsSpan(0, rows * patch); // dColumns: (rows, kH·kW·outC) = im2col(dy)
                    chunks.Unfold(workers, dy.Span, row, rows, dColumns);
                    var xRows = x.Span.Slice(row * inChannels, rows * inChannels); // xRows: (rows, inC)
                    if (dx is not null) // dx += dColumns·W : (rows, inC)
                        ConvChunks.Multiply(workers, false, false, rows, inChannels, patch, dColumns, weight.Span, 1f,
                            dx.Span.Slice(row * inChannels, rows * inChannels));
                    if (shared.HasWeight) // dW += dColumnsᵀ·x : (kH·kW·outC, inC)
                        ConvChunks.Multiply(workers, true, false, patch, inChannels, rows, dColumns, xRows, 1f, shared.Weight(worker));
                }
            }
            finally
            {
                ConvChunks.Return(gradientScratch);
            }
        }
    }
}

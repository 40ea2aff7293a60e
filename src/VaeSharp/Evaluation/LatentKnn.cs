using VaeSharp.Kernels;

namespace VaeSharp.Evaluation;

/// <summary>
/// A k-nearest-neighbour classifier on latent means: how much of the label survives in z. Fitted on the training
/// means, scored on the test means; squared distances come from one GEMM per block of test rows.
/// </summary>
public static class LatentKnn
{
    private const int BlockRows = 256;

    /// <summary>The fraction of test rows whose majority label among the k nearest training rows is right.</summary>
    /// <param name="trainMeans">(trainCount, dims).</param>
    /// <param name="trainLabels">(trainCount).</param>
    /// <param name="testMeans">(testCount, dims).</param>
    /// <param name="testLabels">(testCount).</param>
    /// <param name="dims">Latent dimensions.</param>
    /// <param name="k">Neighbours; ties in the vote go to the label of the nearer neighbour.</param>
    public static double Accuracy(ReadOnlySpan<float> trainMeans, ReadOnlySpan<byte> trainLabels,
        ReadOnlySpan<float> testMeans, ReadOnlySpan<byte> testLabels, int dims, int k = 5)
    {
        int trainCount = trainLabels.Length, testCount = testLabels.Length;
        if (trainMeans.Length != trainCount * dims || testMeans.Length != testCount * dims)
            throw new ArgumentException("means and labels do not agree in count");
        if (k < 1 || k > trainCount) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and {trainCount}");
        if (testCount == 0) throw new ArgumentException("no test rows");

        var trainNorms = RowNorms(trainMeans, dims); // (trainCount)
        var products = new float[BlockRows * trainCount]; // products: (block, trainCount) = test·trainᵀ
        var nearest = new (float Distance, byte Label)[k];
        int correct = 0;
        for (int start = 0; start < testCount; start += BlockRows)
        {
            int rows = Math.Min(BlockRows, testCount - start);
            Gemm.Multiply(false, true, rows, trainCount, dims, 1f, testMeans.Slice(start * dims, rows * dims), trainMeans, 0f, products);
            for (int r = 0; r < rows; r++)
            {
                // ‖t‖² is the same for every neighbour of this row, so it is left out of the ranking.
                var row = products.AsSpan(r * trainCount, trainCount);
                int found = 0;
                for (int j = 0; j < trainCount; j++)
                {
                    float distance = trainNorms[j] - 2f * row[j];
                    if (found == k && distance >= nearest[k - 1].Distance) continue;
                    int position = found < k ? found++ : k - 1;
                    while (position > 0 && nearest[position - 1].Distance > distance) { nearest[position] = nearest[position - 1]; position--; }
                    nearest[position] = (distance, trainLabels[j]);
                }
                if (Vote(nearest) == testLabels[start + r]) correct++;
            }
        }
        return (double)correct / testCount;
    }

    private static byte Vote(ReadOnlySpan<(float Distance, byte Label)> nearest)
    {
        Span<int> votes = stackalloc int[256];
        byte best = nearest[0].Label;
        foreach (var (_, label) in nearest)
            if (++votes[label] > votes[best]) best = label; // nearest-first order breaks ties toward nearer neighbours
        return best;
    }

    private static float[] RowNorms(ReadOnlySpan<float> rows, int dims)
    {
        var norms = new float[rows.Length / dims];
        for (int i = 0; i < norms.Length; i++)
            norms[i] = System.Numerics.Tensors.TensorPrimitives.SumOfSquares(rows.Slice(i * dims, dims));
        return norms;
    }
}

using VaeSharp.Kernels;
using VaeSharp.Tensors;

namespace VaeSharp.Imputation;

/// <summary>
/// An extremely randomized trees regressor (Geurts et al. 2006, scikit-learn's ExtraTreesRegressor without bootstrap):
/// every tree sees all the rows; at each node it draws candidate features in random order, a threshold uniform between
/// each one's smallest and largest value in the node, and keeps the split of largest variance reduction among the first
/// <c>featuresPerSplit</c> features that are not constant there. A node becomes a leaf below 2 × <c>minLeaf</c> rows, at
/// <c>maxDepth</c>, or when its targets are equal. The prediction is the mean of the trees' leaf means.
/// </summary>
/// <remarks>Each tree has its own generator, seeded by the forest's seed's generator in tree order, and the trees are built in
/// parallel on the thread budget (<see cref="Gemm.Threads"/>, which <c>--threads</c> sets) and summed in index order: a
/// seed gives the same forest whatever the thread count.</remarks>
internal sealed class ExtraTrees : IColumnRegression
{
    private readonly Tree[] _trees;

    private ExtraTrees(Tree[] trees) => _trees = trees;

    /// <summary>Fits y on x: (rows, p) row-major, rows of <paramref name="y"/> alike.</summary>
    public static ExtraTrees Fit(double[] x, double[] y, int rows, int p, int trees, int featuresPerSplit, int minLeaf, int maxDepth, ulong seed)
    {
        var columns = new float[p][]; // p × (rows): column-major, so that a node's scan of one feature is contiguous per row index
        for (int a = 0; a < p; a++)
        {
            columns[a] = new float[rows];
            for (int r = 0; r < rows; r++) columns[a][r] = (float)x[r * p + a];
        }
        var forest = new Tree[trees];
        // Each tree's seed is a draw of the forest's generator: seeds a fixed step apart would share three of the four
        // state words of consecutive trees' generators, since Rng seeds through the same SplitMix64 step.
        var treeSeeds = new ulong[trees];
        var seeds = new Rng(seed);
        for (int t = 0; t < trees; t++) treeSeeds[t] = seeds.NextUInt64();
        var growth = new Growth(forest, columns, y, rows, Math.Min(featuresPerSplit, p), minLeaf, maxDepth, treeSeeds, Math.Min(Gemm.Threads, trees));
        if (growth.Workers > 1)
            ParallelParts.Run(growth, growth.Workers);
        else
            growth.Run(0);
        return new ExtraTrees(forest);
    }

    /// <summary>Worker w grows trees w, w + workers, ...; each tree has its own generator, so the split of work changes nothing.</summary>
    private readonly struct Growth(Tree[] forest, float[][] columns, double[] y, int rows, int featuresPerSplit, int minLeaf, int maxDepth,
        ulong[] treeSeeds, int workers) : IPartBody
    {
        public int Workers => workers;

        public void Run(int w)
        {
            for (int t = w; t < forest.Length; t += workers)
                forest[t] = Tree.Grow(columns, y, rows, featuresPerSplit, minLeaf, maxDepth, new Rng(treeSeeds[t]));
        }
    }

    /// <inheritdoc />
    public double Predict(ReadOnlySpan<double> x)
    {
        double sum = 0;
        foreach (var tree in _trees) sum += tree.Predict(x);
        return sum / _trees.Length;
    }

    /// <summary>One tree as flat arrays: a node is a leaf when its feature is −1; else rows with x[feature] ≤ threshold go to left, others to left + 1.</summary>
    private sealed class Tree(int[] feature, float[] threshold, int[] left, double[] value)
    {
        public double Predict(ReadOnlySpan<double> x)
        {
            int node = 0;
            while (feature[node] >= 0) node = x[feature[node]] <= threshold[node] ? left[node] : left[node] + 1;
            return value[node];
        }

        public static Tree Grow(float[][] columns, double[] y, int rows, int featuresPerSplit, int minLeaf, int maxDepth, Rng rng)
        {
            int p = columns.Length;
            var index = Enumerable.Range(0, rows).ToArray(); // a node owns index[start..end)
            var order = Enumerable.Range(0, p).ToArray(); // candidate features, shuffled per node
            var features = new List<int>();
            var thresholds = new List<float>();
            var lefts = new List<int>();
            var values = new List<double>();
            var pending = new Stack<(int Node, int Start, int End, int Depth)>();
            Add(features, thresholds, lefts, values);
            pending.Push((0, 0, rows, 0));
            while (pending.Count > 0)
            {
                var (node, start, end, depth) = pending.Pop();
                double sum = 0, squares = 0;
                for (int i = start; i < end; i++) (sum, squares) = (sum + y[index[i]], squares + y[index[i]] * y[index[i]]);
                int count = end - start;
                values[node] = sum / count;
                if (count < 2 * minLeaf || depth >= maxDepth || squares - sum * sum / count <= 1e-12 * count) continue;
                var (bestFeature, bestThreshold, bestScore) = (-1, 0f, double.NegativeInfinity);
                int tried = 0;
                for (int drawn = 0; drawn < p && tried < featuresPerSplit; drawn++)
                {
                    int pick = drawn + rng.NextInt(p - drawn);
                    (order[drawn], order[pick]) = (order[pick], order[drawn]);
                    var column = columns[order[drawn]];
                    float low = float.PositiveInfinity, high = float.NegativeInfinity;
                    for (int i = start; i < end; i++) (low, high) = (Math.Min(low, column[index[i]]), Math.Max(high, column[index[i]]));
                    if (!(high > low)) continue; // constant here: does not count as tried, as in scikit-learn
                    tried++;
                    float cut = rng.NextUniform(low, high);
                    if (cut >= high) cut = low; // float rounding must leave both sides non-empty
                    double leftSum = 0;
                    int leftCount = 0;
                    for (int i = start; i < end; i++)
                        if (column[index[i]] <= cut) (leftSum, leftCount) = (leftSum + y[index[i]], leftCount + 1);
                    if (leftCount < minLeaf || count - leftCount < minLeaf) continue;
                    // Maximizing Σ_side sum²/count is maximizing the variance reduction.
                    double score = leftSum * leftSum / leftCount + (sum - leftSum) * (sum - leftSum) / (count - leftCount);
                    if (score > bestScore) (bestFeature, bestThreshold, bestScore) = (order[drawn], cut, score);
                }
                if (bestFeature < 0) continue;
                int middle = Partition(index, start, end, columns[bestFeature], bestThreshold);
                int child = values.Count;
                Add(features, thresholds, lefts, values);
                Add(features, thresholds, lefts, values);
                (features[node], thresholds[node], lefts[node]) = (bestFeature, bestThreshold, child);
                pending.Push((child + 1, middle, end, depth + 1));
                pending.Push((child, start, middle, depth + 1));
            }
            return new Tree([.. features], [.. thresholds], [.. lefts], [.. values]);
        }

        private static void Add(List<int> features, List<float> thresholds, List<int> lefts, List<double> values)
        {
            features.Add(-1);
            thresholds.Add(0f);
            lefts.Add(-1);
            values.Add(0);
        }

        /// <summary>Reorders index[start..end) so that rows with column ≤ threshold come first; returns where the rest begin.</summary>
        private static int Partition(int[] index, int start, int end, float[] column, float threshold)
        {
            int middle = start;
            for (int i = start; i < end; i++)
                if (column[index[i]] <= threshold) (index[middle], index[i], middle) = (index[i], index[middle], middle + 1);
            return middle;
        }
    }
}

using VaeSharp.Tensors;

namespace VaeSharp.Plotting;

/// <summary>
/// Principal component analysis of a point cloud: the mean, and the leading eigenvectors of the covariance found by
/// power iteration with deflation. Enough to show a latent space of more than three dimensions in two.
/// </summary>
public sealed class Pca
{
    private const int MaxIterations = 1000;
    private const double Tolerance = 1e-12;

    private Pca(double[] mean, double[][] components, double[] variances, double totalVariance)
    {
        Mean = mean;
        Components = components;
        Variances = variances;
        TotalVariance = totalVariance;
    }

    /// <summary>The mean of the fitted points: (dims).</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>The principal directions, unit length, largest variance first; each has its largest entry positive so the result is reproducible.</summary>
    public IReadOnlyList<double[]> Components { get; }

    /// <summary>The variance along each component (its eigenvalue).</summary>
    public IReadOnlyList<double> Variances { get; }

    /// <summary>The trace of the covariance: the variance of all dimensions together.</summary>
    public double TotalVariance { get; }

    /// <summary>Fits the leading <paramref name="components"/> directions of the rows of <paramref name="points"/> (count, dims).</summary>
    public static Pca Fit(Tensor points, int components = 2)
    {
        ArgumentNullException.ThrowIfNull(points);
        int count = points.Shape.Rows, dims = points.Shape.Cols;
        if (points.Shape.Rank != 2 || count < 1) throw new ArgumentException($"PCA needs a (count, dims) matrix, not {points.Shape}", nameof(points));
        ArgumentOutOfRangeException.ThrowIfLessThan(components, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(components, dims);

        var mean = new double[dims];
        for (int i = 0; i < count; i++)
        {
            var row = points.Row(i);
            for (int d = 0; d < dims; d++) mean[d] += row[d];
        }
        for (int d = 0; d < dims; d++) mean[d] /= count;

        var covariance = new double[dims, dims]; // (dims, dims)
        var centered = new double[dims];
        for (int i = 0; i < count; i++)
        {
            var row = points.Row(i);
            for (int d = 0; d < dims; d++) centered[d] = row[d] - mean[d];
            for (int a = 0; a < dims; a++)
                for (int b = a; b < dims; b++) covariance[a, b] += centered[a] * centered[b];
        }
        double total = 0;
        for (int a = 0; a < dims; a++)
        {
            for (int b = a; b < dims; b++) covariance[b, a] = covariance[a, b] /= count;
            total += covariance[a, a];
        }

        var directions = new double[components][];
        var variances = new double[components];
        for (int k = 0; k < components; k++)
        {
            (directions[k], variances[k]) = LeadingEigenvector(covariance, dims, directions.AsSpan(0, k));
            // Deflate, so the next power iteration finds the next direction.
            for (int a = 0; a < dims; a++)
                for (int b = 0; b < dims; b++) covariance[a, b] -= variances[k] * directions[k][a] * directions[k][b];
        }
        return new Pca(mean, directions, variances, total);
    }

    /// <summary>The coordinates of the rows of <paramref name="points"/> (count, dims) along the components: (count, components).</summary>
    public Tensor Project(Tensor points)
    {
        ArgumentNullException.ThrowIfNull(points);
        int dims = Mean.Count;
        if (points.Shape.Rank != 2 || points.Shape.Cols != dims) throw new ArgumentException($"expected (count, {dims}) points, not {points.Shape}", nameof(points));
        var projected = new Tensor(new Shape(points.Shape.Rows, Components.Count)); // (count, components)
        for (int i = 0; i < points.Shape.Rows; i++)
        {
            var row = points.Row(i);
            var target = projected.Row(i);
            for (int k = 0; k < Components.Count; k++)
            {
                double sum = 0;
                for (int d = 0; d < dims; d++) sum += (row[d] - Mean[d]) * Components[k][d];
                target[k] = (float)sum;
            }
        }
        return projected;
    }

    /// <summary>Power iteration kept orthogonal to <paramref name="found"/>, so rounding residue of a deflated direction cannot creep back.</summary>
    private static (double[] Vector, double Value) LeadingEigenvector(double[,] matrix, int dims, ReadOnlySpan<double[]> found)
    {
        // Start from the column with the largest diagonal entry: it is never orthogonal to the leading direction
        // unless that direction carries no variance at all. Failing that, any basis vector that is new.
        int start = 0;
        for (int d = 1; d < dims; d++) if (matrix[d, d] > matrix[start, start]) start = d;
        var vector = new double[dims];
        for (int d = 0; d < dims; d++) vector[d] = matrix[d, start] + (d == start ? 1e-3 : 0);
        for (int basis = 0; Orthonormalize(vector, found) == 0 && basis < dims; basis++)
        {
            Array.Clear(vector);
            vector[basis] = 1;
        }

        var next = new double[dims];
        double value = 0;
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            for (int a = 0; a < dims; a++)
            {
                double sum = 0;
                for (int b = 0; b < dims; b++) sum += matrix[a, b] * vector[b];
                next[a] = sum;
            }
            value = Orthonormalize(next, found);
            if (value == 0) break;
            double change = 0;
            for (int d = 0; d < dims; d++) change = Math.Max(change, Math.Abs(next[d] - vector[d]));
            (vector, next) = (next, vector);
            if (change < Tolerance) break;
        }
        int largest = 0;
        for (int d = 1; d < dims; d++) if (Math.Abs(vector[d]) > Math.Abs(vector[largest])) largest = d;
        if (vector[largest] < 0) for (int d = 0; d < dims; d++) vector[d] = -vector[d];
        return (vector, Math.Max(value, 0));
    }

    /// <summary>
    /// Removes the parts along <paramref name="found"/> (Gram–Schmidt), scales to unit length and returns the length
    /// before scaling; 0 when what is left is only rounding residue, which would point anywhere, even back along found.
    /// </summary>
    private static double Orthonormalize(double[] vector, ReadOnlySpan<double[]> found)
    {
        double before = Math.Sqrt(vector.Sum(v => v * v));
        foreach (var direction in found)
        {
            double along = 0;
            for (int d = 0; d < vector.Length; d++) along += vector[d] * direction[d];
            for (int d = 0; d < vector.Length; d++) vector[d] -= along * direction[d];
        }
        double norm = Normalize(vector);
        return norm > 1e-9 * before ? norm : 0;
    }

    private static double Normalize(double[] vector)
    {
        double norm = Math.Sqrt(vector.Sum(v => v * v));
        if (norm > 0) for (int d = 0; d < vector.Length; d++) vector[d] /= norm;
        return norm;
    }
}

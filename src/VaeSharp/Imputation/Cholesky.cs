namespace VaeSharp.Imputation;

/// <summary>Solves small symmetric positive-definite systems, as the ridge regressions of the iterative imputer need.</summary>
internal static class Cholesky
{
    /// <summary>Solves A·x = b for A (n, n) row-major, of which only the lower triangle is read.</summary>
    /// <exception cref="ArithmeticException">A is not positive definite.</exception>
    public static double[] Solve(double[] a, double[] b, int n)
    {
        var lower = new double[n * n]; // (n, n): A = L·Lᵀ
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double sum = a[i * n + j];
                for (int k = 0; k < j; k++) sum -= lower[i * n + k] * lower[j * n + k];
                if (i == j)
                {
                    if (!(sum > 0)) throw new ArithmeticException("the matrix is not positive definite");
                    lower[i * n + i] = Math.Sqrt(sum);
                }
                else lower[i * n + j] = sum / lower[j * n + j];
            }
        var x = (double[])b.Clone();
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < i; k++) x[i] -= lower[i * n + k] * x[k];
            x[i] /= lower[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--)
        {
            for (int k = i + 1; k < n; k++) x[i] -= lower[k * n + i] * x[k];
            x[i] /= lower[i * n + i];
        }
        return x;
    }
}

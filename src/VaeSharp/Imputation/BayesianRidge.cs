namespace VaeSharp.Imputation;

/// <summary>
/// Bayesian ridge regression as scikit-learn's <c>BayesianRidge</c> (its defaults: Gamma(1e-6, 1e-6) priors on the
/// noise precision α and the weight precision λ, α starting at 1/var(y) and λ at 1, at most 300 evidence updates,
/// tolerance 1e-3 on the summed change of the weights), fitted on centred data with an intercept.
/// </summary>
/// <param name="Intercept">The prediction at x = 0.</param>
/// <param name="Weights">(p): one per predictor.</param>
internal sealed record BayesianRidge(double Intercept, double[] Weights) : IColumnRegression
{
    private const double Prior = 1e-6;

    /// <summary>Fits y on x: (rows, p) row-major, rows of <paramref name="y"/> alike.</summary>
    public static BayesianRidge Fit(double[] x, double[] y, int rows, int p)
    {
        var xMean = new double[p];
        double yMean = 0;
        for (int r = 0; r < rows; r++)
        {
            yMean += y[r];
            for (int a = 0; a < p; a++) xMean[a] += x[r * p + a];
        }
        yMean /= rows;
        for (int a = 0; a < p; a++) xMean[a] /= rows;
        var gram = new double[p * p]; // (p, p): Xcᵀ·Xc
        var xty = new double[p]; // (p): Xcᵀ·yc
        var centred = new double[p];
        double yVariance = 0;
        for (int r = 0; r < rows; r++)
        {
            for (int a = 0; a < p; a++) centred[a] = x[r * p + a] - xMean[a];
            double yc = y[r] - yMean;
            yVariance += yc * yc;
            for (int a = 0; a < p; a++)
            {
                xty[a] += centred[a] * yc;
                for (int b = 0; b <= a; b++) gram[a * p + b] += centred[a] * centred[b];
            }
        }
        for (int a = 0; a < p; a++) for (int b = 0; b < a; b++) gram[b * p + a] = gram[a * p + b];
        yVariance /= rows;
        var (eigenvalues, vectors) = SymmetricEigen.Decompose(gram, p);
        var projected = new double[p]; // (p): Vᵀ·Xcᵀ·yc
        for (int j = 0; j < p; j++) for (int a = 0; a < p; a++) projected[j] += vectors[a * p + j] * xty[a];
        double alpha = 1 / (yVariance + 2.220446049250313e-16), lambda = 1; // scikit-learn adds float64 eps
        var weights = Solve(vectors, eigenvalues, projected, lambda / alpha, p);
        var previous = weights;
        for (int iteration = 0; iteration < 300; iteration++)
        {
            weights = Solve(vectors, eigenvalues, projected, lambda / alpha, p);
            double residual = Residual(gram, xty, yVariance * rows, weights, p);
            double gamma = 0, squares = 0;
            for (int j = 0; j < p; j++) gamma += alpha * eigenvalues[j] / (lambda + alpha * eigenvalues[j]);
            for (int a = 0; a < p; a++) squares += weights[a] * weights[a];
            lambda = (gamma + 2 * Prior) / (squares + 2 * Prior);
            alpha = (rows - gamma + 2 * Prior) / (residual + 2 * Prior);
            double change = 0;
            for (int a = 0; a < p; a++) change += Math.Abs(previous[a] - weights[a]);
            if (iteration != 0 && change < 1e-3) break;
            previous = weights;
        }
        weights = Solve(vectors, eigenvalues, projected, lambda / alpha, p);
        double intercept = yMean;
        for (int a = 0; a < p; a++) intercept -= weights[a] * xMean[a];
        return new BayesianRidge(intercept, weights);
    }

    /// <summary>The prediction for one row x (p).</summary>
    public double Predict(ReadOnlySpan<double> x)
    {
        double value = Intercept;
        for (int a = 0; a < Weights.Length; a++) value += Weights[a] * x[a];
        return value;
    }

    /// <summary>w = V·diag(1 / (e + λ/α))·Vᵀ·Xᵀy.</summary>
    private static double[] Solve(double[] vectors, double[] eigenvalues, double[] projected, double ratio, int p)
    {
        var weights = new double[p];
        for (int j = 0; j < p; j++)
        {
            double scaled = projected[j] / (eigenvalues[j] + ratio);
            for (int a = 0; a < p; a++) weights[a] += vectors[a * p + j] * scaled;
        }
        return weights;
    }

    /// <summary>‖yc − Xc·w‖² = yᵀy − 2wᵀXᵀy + wᵀXᵀXw, from the Gram matrix.</summary>
    private static double Residual(double[] gram, double[] xty, double yy, double[] w, int p)
    {
        double quadratic = 0, linear = 0;
        for (int a = 0; a < p; a++)
        {
            linear += w[a] * xty[a];
            double row = 0;
            for (int b = 0; b < p; b++) row += gram[a * p + b] * w[b];
            quadratic += w[a] * row;
        }
        return Math.Max(0, yy - 2 * linear + quadratic);
    }
}

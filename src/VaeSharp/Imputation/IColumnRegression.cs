namespace VaeSharp.Imputation;

/// <summary>One column's fitted model in a <see cref="ColumnChain"/>: predicts the column from its predictors.</summary>
internal interface IColumnRegression
{
    /// <summary>The prediction for one row of predictors x (p).</summary>
    double Predict(ReadOnlySpan<double> x);
}

/// <summary>The fallback when a column has no predictor (a one-column table): its reference mean.</summary>
internal sealed record ConstantRegression(double Value) : IColumnRegression
{
    /// <inheritdoc />
    public double Predict(ReadOnlySpan<double> x) => Value;
}

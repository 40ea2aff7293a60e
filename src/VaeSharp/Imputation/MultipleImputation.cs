namespace VaeSharp.Imputation;

/// <summary>K completed copies of a table and, per entry, their mean and standard deviation across the draws.</summary>
/// <param name="Draws">K arrays of (rows, cols).</param>
/// <param name="Mean">(rows, cols): the mean of the draws, the usual point estimate of multiple imputation.</param>
/// <param name="StandardDeviation">(rows, cols): the spread of the draws, 0 at observed entries.</param>
public sealed record MultipleImputation(IReadOnlyList<float[]> Draws, float[] Mean, float[] StandardDeviation)
{
    /// <summary>Computes the mean and the (population) standard deviation of <paramref name="draws"/>, entry by entry.</summary>
    public static MultipleImputation FromDraws(IReadOnlyList<float[]> draws)
    {
        if (draws.Count == 0) throw new ArgumentException("no draws");
        int size = draws[0].Length;
        var mean = new float[size];
        var deviation = new float[size];
        for (int i = 0; i < size; i++)
        {
            double sum = 0, squares = 0;
            foreach (var draw in draws) sum += draw[i];
            double average = sum / draws.Count;
            foreach (var draw in draws) squares += (draw[i] - average) * (draw[i] - average);
            mean[i] = (float)average;
            deviation[i] = (float)Math.Sqrt(squares / draws.Count);
        }
        return new MultipleImputation(draws, mean, deviation);
    }
}

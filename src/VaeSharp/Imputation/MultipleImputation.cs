namespace VaeSharp.Imputation;

/// <summary>K completed copies of a table and, per entry, their mean and standard deviation across the draws.</summary>
/// <param name="Draws">K arrays of (rows, cols); empty when the draws were summed and not kept.</param>
/// <param name="Mean">(rows, cols): the mean of the draws, the usual point estimate of multiple imputation.</param>
/// <param name="StandardDeviation">(rows, cols): the spread of the draws, 0 at observed entries.</param>
public sealed record MultipleImputation(IReadOnlyList<float[]> Draws, float[] Mean, float[] StandardDeviation)
{
    /// <summary>Computes the mean and the (population) standard deviation of <paramref name="draws"/>, entry by entry.</summary>
    public static MultipleImputation FromDraws(IReadOnlyList<float[]> draws)
    {
        if (draws.Count == 0) throw new ArgumentException("no draws");
        var moments = new RunningMoments(draws[0].Length);
        foreach (var draw in draws) moments.Add(draw);
        var (mean, deviation) = moments.Result();
        return new MultipleImputation(draws, mean, deviation);
    }

    /// <summary>
    /// Per-entry mean and spread of draws added one at a time (Welford's update), so that K draws of a long table
    /// cost two running arrays, not K copies.
    /// </summary>
    internal sealed class RunningMoments(int size)
    {
        private readonly double[] _mean = new double[size], _squares = new double[size];
        private int _count;

        public void Add(ReadOnlySpan<float> draw)
        {
            if (draw.Length != _mean.Length) throw new ArgumentException($"a draw of {draw.Length} entries, not {_mean.Length}");
            _count++;
            for (int i = 0; i < draw.Length; i++)
            {
                double delta = draw[i] - _mean[i];
                _mean[i] += delta / _count;
                _squares[i] += delta * (draw[i] - _mean[i]);
            }
        }

        /// <summary>The mean and the population standard deviation of the draws so far.</summary>
        public (float[] Mean, float[] StandardDeviation) Result()
        {
            if (_count == 0) throw new InvalidOperationException("no draws");
            return ([.. _mean.Select(value => (float)value)], [.. _squares.Select(value => (float)Math.Sqrt(Math.Max(0, value) / _count))]);
        }
    }
}

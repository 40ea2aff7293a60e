namespace VaeSharp.ServeLoad;

/// <summary>One endpoint's latencies and errors during the timed part of the run.</summary>
internal sealed class EndpointStats(string name)
{
    private readonly List<double> _milliseconds = [];
    private int _errors;

    public string Name { get; } = name;

    public int Errors => _errors;

    public int Requests
    {
        get { lock (_milliseconds) return _milliseconds.Count; }
    }

    public void Add(double milliseconds)
    {
        lock (_milliseconds) _milliseconds.Add(milliseconds);
    }

    public void AddError() => Interlocked.Increment(ref _errors);

    /// <summary>The q-quantile (0..1) of the latencies, nearest rank; NaN with none.</summary>
    public double Quantile(double q)
    {
        lock (_milliseconds)
        {
            if (_milliseconds.Count == 0) return double.NaN;
            var sorted = _milliseconds.Order().ToArray();
            return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        }
    }
}

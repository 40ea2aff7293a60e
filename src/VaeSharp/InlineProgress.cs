namespace VaeSharp;

/// <summary>Calls back on the reporting thread: <see cref="Progress{T}"/> would post to the thread pool, after the work.</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => report(value);
}

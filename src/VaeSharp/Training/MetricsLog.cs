using System.Text.Json;

namespace VaeSharp.Training;

/// <summary>Reads the metrics.jsonl a run folder holds: one <see cref="EpochMetrics"/> JSON object per line.</summary>
public static class MetricsLog
{
    /// <summary>The epochs in <paramref name="path"/>, in file order; blank lines are skipped.</summary>
    /// <exception cref="InvalidDataException">A line is not an epoch's JSON object; the message names the file and line.</exception>
    public static IReadOnlyList<EpochMetrics> Read(string path)
    {
        var history = new List<EpochMetrics>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                history.Add(JsonSerializer.Deserialize<EpochMetrics>(line)
                    ?? throw new InvalidDataException($"line {lineNumber} is null, not an epoch's metrics ({path})"));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"line {lineNumber} is not an epoch's metrics: {e.Message} ({path})", e);
            }
        }
        return history;
    }
}

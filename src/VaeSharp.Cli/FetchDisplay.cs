using Spectre.Console;
using VaeSharp.Data;

namespace VaeSharp.Cli;

/// <summary>Runs an MNIST fetch with a byte-count and rate progress bar on stderr when it is a terminal.</summary>
internal static class FetchDisplay
{
    public static FetchResult Run(string dir, FetchOptions options)
    {
        var fetcher = new MnistFetcher();
        if (Console.IsErrorRedirected)
            return fetcher.FetchAsync(dir, options, null, CancellationToken.None).GetAwaiter().GetResult();

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new DownloadedColumn(),
                new TransferSpeedColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("MNIST");
                var progress = new InlineProgress<FetchProgress>(report =>
                {
                    task.Description = report.Stage;
                    if (report.BytesTotal > 0) task.MaxValue = report.BytesTotal;
                    task.Value = Math.Min(report.BytesDone, task.MaxValue);
                });
                return fetcher.FetchAsync(dir, options, progress, CancellationToken.None).GetAwaiter().GetResult();
            });
    }
}

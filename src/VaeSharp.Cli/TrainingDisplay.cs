using Spectre.Console;
using VaeSharp.Training;

namespace VaeSharp.Cli;

/// <summary>
/// Shows training on stderr: a live Spectre progress bar with the running losses when stderr is a terminal,
/// otherwise one plain line per epoch, so logs stay readable and stdout stays free for <c>--json</c>.
/// </summary>
internal static class TrainingDisplay
{
    public static T Run<T>(Func<IProgress<TrainingProgress>, Action<EpochMetrics>, T> train)
    {
        if (Console.IsErrorRedirected)
            return train(new InlineProgress<TrainingProgress>(_ => { }), metrics => Console.Error.WriteLine(Describe(metrics)));

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("starting");
                long lastUpdate = 0;
                var progress = new InlineProgress<TrainingProgress>(report =>
                {
                    task.MaxValue = (double)report.Steps * report.Epochs;
                    task.Value = (double)(report.Epoch - 1) * report.Steps + report.Step;
                    long now = Environment.TickCount64;
                    if (now - lastUpdate < 100 && report.Step != report.Steps) return;
                    lastUpdate = now;
                    task.Description = $"epoch {report.Epoch}/{report.Epochs}  loss {report.Loss:F2}  rec {report.Reconstruction:F2}  kl {report.Kl:F2}";
                });
                return train(progress, metrics => console.WriteLine(Describe(metrics)));
            });
    }

    private static string Describe(EpochMetrics metrics) =>
        $"epoch {metrics.Epoch}: train loss {metrics.TrainLoss:F2} (rec {metrics.TrainReconstruction:F2}, kl {metrics.TrainKl:F2})" +
        (metrics.TestNegElbo is double elbo ? $", test -ELBO {elbo:F2}" : "") +
        $", {metrics.TrainSeconds:F1} s, {metrics.TrainSamplesPerSecond:F0} samples/s";
}

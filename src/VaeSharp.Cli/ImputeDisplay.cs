using Spectre.Console;

namespace VaeSharp.Cli;

/// <summary>
/// Shows impute-csv's progress on stderr: a live Spectre bar of its steps (each fit of the held-out check, then the
/// fit on all rows, the imputation and the writing) when stderr is a terminal, and nothing otherwise, so that logs
/// hold only the warnings and stdout stays free for the results and <c>--json</c>.
/// </summary>
internal static class ImputeDisplay
{
    /// <summary>Runs <paramref name="work"/>, which reports (what it is doing, steps done, steps in all) before each step.</summary>
    public static void Run(Action<Action<string, int, int>> work)
    {
        if (Console.IsErrorRedirected)
        {
            work((_, _, _) => { });
            return;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("reading");
                work((doing, done, total) =>
                {
                    task.Description = Markup.Escape(doing);
                    task.MaxValue = total;
                    task.Value = done;
                });
            });
    }
}

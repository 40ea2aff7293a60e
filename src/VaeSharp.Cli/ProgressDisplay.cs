using Spectre.Console;

namespace VaeSharp.Cli;

/// <summary>
/// Shows a long verb's progress on stderr (impute-csv's fits, eval's bounds): a live Spectre bar of its steps when
/// stderr is a terminal, and nothing otherwise, so that logs hold only the warnings and stdout stays free for the
/// results and <c>--json</c>. The verb prints its results once the bar is gone.
/// </summary>
internal static class ProgressDisplay
{
    /// <summary>Runs <paramref name="work"/>, which reports (what it is doing, steps done, steps in all) as it goes.</summary>
    public static void Run(Action<Action<string, int, int>> work) => Run<object?>(report =>
    {
        work(report);
        return null;
    });

    /// <summary>As <see cref="Run(Action{Action{string, int, int}})"/>, for work that returns a result.</summary>
    public static T Run<T>(Func<Action<string, int, int>, T> work)
    {
        if (Console.IsErrorRedirected) return work((_, _, _) => { });
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("starting");
                return work((doing, done, total) =>
                {
                    task.Description = Markup.Escape(doing);
                    task.MaxValue = total;
                    task.Value = done;
                });
            });
    }
}

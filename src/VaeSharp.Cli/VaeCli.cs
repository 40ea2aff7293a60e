using System.CommandLine;
using VaeSharp.Cli.Commands;

namespace VaeSharp.Cli;

/// <summary>
/// The <c>vae</c> command: parses, dispatches to one verb, and turns every failure into one line on stderr,
/// <c>vae: error: &lt;what&gt; (&lt;file or option&gt;)</c>, with exit code 2 for usage errors and 1 otherwise.
/// </summary>
public static class VaeCli
{
    /// <summary>Runs the tool with <paramref name="args"/> and returns the exit code.</summary>
    public static int Run(string[] args)
    {
        var root = new RootCommand("VaeSharp: train, inspect and draw variational autoencoders.")
        {
            InfoCommand.Create(),
            DataCommand.Create(),
            TrainCommand.Create(),
            ManifoldCommand.Create(),
            LatentCommand.Create(),
            GenerateCommand.Create(),
            ReconstructCommand.Create(),
            CurvesCommand.Create(),
            ReportCommand.Create(),
            DemoCommand.Create(),
        };
        root.Add(CommonOptions.Verbose);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var error = parse.Errors[0];
            var option = error.SymbolResult is System.CommandLine.Parsing.OptionResult result ? $" ({result.Option.Name})" : "";
            return Fail(ExitCodes.Usage, error.Message.TrimEnd('.') + option);
        }
        return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    /// <summary>Runs a verb's body and maps its exceptions to one error line and an exit code.</summary>
    internal static int Guard(ParseResult parse, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e)
        {
            if (parse.GetValue(CommonOptions.Verbose)) Console.Error.WriteLine(e);
            return Fail(e is UsageException ? ExitCodes.Usage : ExitCodes.Failure, e.Message);
        }
    }

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine("vae: error: " + message.ReplaceLineEndings(" "));
        return code;
    }
}

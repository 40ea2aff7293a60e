using System.CommandLine;
using System.CommandLine.Parsing;
using VaeSharp.Cli.Commands;

namespace VaeSharp.Cli;

/// <summary>
/// The <c>vae</c> command: parses, dispatches to one verb, and turns every failure into one line on stderr,
/// <c>vae: error: &lt;what&gt; (&lt;file or option&gt;)</c>, with exit code 2 for usage errors and 1 otherwise; a
/// training run stopped by Ctrl-C ends with <c>vae: interrupted: ...</c> and exit code 130.
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
            ResumeCommand.Create(),
            EvalCommand.Create(),
            SummaryCommand.Create(),
            ManifoldCommand.Create(),
            LatentCommand.Create(),
            GenerateCommand.Create(),
            ExportCommand.Create(),
            ReconstructCommand.Create(),
            CurvesCommand.Create(),
            ReportCommand.Create(),
            DemoCommand.Create(),
            MasksCommand.Create(),
            ImputeCommand.Create(),
            ImputeCsvCommand.Create(),
            BenchCommand.Create(),
            ServeCommand.Create(),
        };
        root.Add(CommonOptions.Verbose());
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0) return Fail(ExitCodes.Usage, DescribeParseError(parse));
        return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    }

    /// <summary>
    /// The parse errors as one "what (option or token)": the option whose value is bad, else the first token that
    /// matched nothing (the parser's own error for it may come after "required command was not provided"), else the
    /// command that is missing something.
    /// </summary>
    private static string DescribeParseError(ParseResult parse)
    {
        var error = parse.Errors.FirstOrDefault(e => e.SymbolResult is OptionResult) ?? parse.Errors[0];
        string what = error.Message.TrimEnd('.');
        if (error.SymbolResult is OptionResult option)
        {
            // The parser's "Cannot parse argument 'x' ... as expected type 'System.Int32'" names a .NET type: say what was expected.
            if (what.StartsWith("Cannot parse argument", StringComparison.Ordinal) && option.Tokens.Count > 0 && Expected(option.Option.ValueType) is string expected)
            {
                string token = option.Tokens[^1].Value;
                // A whole number the type cannot hold (99999999999 for an int, -1 for an unsigned seed) is out of range, not "not a number".
                bool whole = token.Length > 0 && token.TrimStart('-').All(char.IsAsciiDigit) && expected.StartsWith("a whole number", StringComparison.Ordinal);
                what = whole ? $"'{token}' is out of range" : $"'{token}' is not {expected}";
            }
            return $"{what} ({option.Option.Name})";
        }
        if (parse.UnmatchedTokens.Count > 0) return $"unknown command, option or argument ({parse.UnmatchedTokens[0]})";
        if (error.SymbolResult is CommandResult command) return $"{what} ({CommandPath(command)})";
        return what;
    }

    /// <summary>What a value of <paramref name="type"/> looks like, for a parse error; null for a type without a plain name.</summary>
    private static string? Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(type).Select(name => name.ToLowerInvariant()));
        if (type == typeof(int) || type == typeof(long)) return "a whole number";
        if (type == typeof(ulong) || type == typeof(uint)) return "a whole number of 0 or more";
        if (type == typeof(float) || type == typeof(double)) return "a number";
        return null;
    }

    /// <summary>"vae data" for the data command; the root is named "vae" whatever the executable is called.</summary>
    private static string CommandPath(CommandResult command) =>
        command.Parent is CommandResult parent ? $"{CommandPath(parent)} {command.Command.Name}" : "vae";

    /// <summary>Runs a verb's body and maps its exceptions to one error line and an exit code.</summary>
    internal static int Guard(ParseResult parse, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e)
        {
            if (parse.GetValue<bool>(CommonOptions.VerboseName)) Console.Error.WriteLine(e);
            return e switch
            {
                UsageException => Fail(ExitCodes.Usage, e.Message),
                InterruptedException interrupted => Fail(interrupted.ExitCode, e.Message, "interrupted"),
                _ => Fail(ExitCodes.Failure, e.Message),
            };
        }
    }

    private static int Fail(int code, string message, string kind = "error")
    {
        Console.Error.WriteLine($"vae: {kind}: " + message.ReplaceLineEndings(" "));
        return code;
    }
}

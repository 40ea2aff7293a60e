using System.CommandLine;
using VaeSharp.Data;

namespace VaeSharp.Cli.Commands;

/// <summary>
/// <c>vae masks make</c>: draws the train and test masks of each fraction, as training and evaluation draw them for
/// the same seed, and saves them as F32 tensors <c>{kind}/{fraction}/train</c> and <c>.../test</c> of shape (count, 28, 28).
/// </summary>
internal sealed class MasksCommand
{
    private readonly Option<MaskKind> _kind = new("--kind") { HelpName = "line|pixel", Description = "The mask kind", Required = true };
    private readonly Option<string> _fractions = new("--fractions") { Description = "Missing fractions, e.g. 0.1,0.5,0.9", DefaultValueFactory = _ => "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9" };
    private readonly Option<int> _trainCount = CommonOptions.IntInRange("--train-count", "Training masks per fraction", 0, 1_000_000, defaultValue: 60_000);
    private readonly Option<int> _testCount = CommonOptions.IntInRange("--test-count", "Test masks per fraction", 0, 1_000_000, defaultValue: 10_000);
    private readonly Option<ulong> _seed = CommonOptions.Seed("the masks");
    private readonly Option<string?> _out = CommonOptions.Out("The safetensors file to write (default masks.safetensors)");

    public static Command Create()
    {
        var masks = new Command("masks", "Missing-data masks for repeatable experiments");
        masks.Add(new MasksCommand().Build());
        return masks;
    }

    private Command Build()
    {
        var command = new Command("make", "Draw and save train and test masks") { _kind, _fractions, _trainCount, _testCount, _seed, _out };
        command.SetAction(parse => VaeCli.Guard(parse, () =>
        {
            var kind = parse.GetValue(_kind);
            var path = parse.GetValue(_out) ?? "masks.safetensors";
            CommonOptions.CheckOutputFile(path, "--out");
            var entries = new List<(MaskKind, double, string, byte[])>();
            foreach (double fraction in Fractions.Parse(parse.GetValue(_fractions)!))
            {
                var (train, test) = Masks.CreateSplits(kind, fraction, parse.GetValue(_trainCount), parse.GetValue(_testCount), 28, 28, parse.GetValue(_seed));
                entries.Add((kind, fraction, "train", train));
                entries.Add((kind, fraction, "test", test));
            }
            MaskFile.Write(path, entries, 28, 28, parse.GetValue(_seed));
            int tensors = entries.Count(entry => entry.Item4.Length > 0);
            Console.WriteLine($"{tensors} mask tensors in {path}");
            return ExitCodes.Success;
        }));
        return command;
    }
}

using System.Globalization;
using System.Text.Json;
using VaeSharp.Tests.Imputation;

namespace VaeSharp.Tests.Cli;

/// <summary><c>vae impute-csv</c> on mixed tables: column kinds, <c>--method auto</c>, intervals and bad inputs.</summary>
[Collection("Cli")]
public sealed class CliImputeTablesTests(CliFixture fixture)
{
    private string Write(string name, string text)
    {
        var path = Path.Combine(fixture.NewFolder(name), "in.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void AutoReportsItsChoiceAndFillsIntegersCategoriesAndBounds()
    {
        var input = Write("auto", TableEncodingTests.KnownCategoryTable(140, out var hidden));
        var output = Path.Combine(Path.GetDirectoryName(input)!, "out.csv");

        var result = CliRunner.Run("impute-csv", "--in", input, "--out", output, "--epochs", "60", "--json");

        Assert.True(result.ExitCode == 0, result.StdErr);
        var auto = JsonDocument.Parse(result.StdOut).RootElement.GetProperty("auto");
        string choice = auto.GetProperty("choice").GetString()!;
        Assert.Contains(choice, VaeSharp.Imputation.MethodSelection.Candidates);
        // The categories' own choice, where one beat the numbers' choice on them: a candidate, never the same.
        var categories = auto.GetProperty("categories");
        if (categories.ValueKind != JsonValueKind.Null)
        {
            Assert.Contains(categories.GetProperty("choice").GetString(), VaeSharp.Imputation.MethodSelection.Candidates);
            Assert.NotEqual(choice, categories.GetProperty("choice").GetString());
        }
        Assert.Contains("\"forest+knn\":", result.StdOut); // not escaped as \u002B
        Assert.Equal(VaeSharp.Imputation.MethodSelection.Candidates.Count, auto.GetProperty("held_out_rmse").EnumerateObject().Count());
        Assert.Contains("held-out", auto.GetProperty("reason").GetString());
        var weights = auto.GetProperty("weights").EnumerateObject().ToDictionary(part => part.Name, part => part.Value.GetDouble());
        Assert.Equal(1.0, weights.Values.Sum(), 9);
        Assert.All(weights.Keys, single => Assert.Contains(single, new[] { "mean", "knn", "iterative", "vae", "forest" }));
        var lines = File.ReadAllLines(output);
        int right = hidden.Count(cell => lines[cell.Row + 1].Split(',')[2] == cell.Kind);
        Assert.True(right >= 0.9 * hidden.Count, $"{right} of {hidden.Count} categories right with {choice}");

        var text = CliRunner.Run("impute-csv", "--in", input, "--out", output, "--epochs", "5");
        Assert.True(text.ExitCode == 0, text.StdErr);
        Assert.Contains($"auto chose ", text.StdOut);
    }

    [Fact]
    public void EvaluateMcarNamesTheMostAccurateMethodOnTheCategories()
    {
        var input = Write("evaluate-kinds", TableEncodingTests.KnownCategoryTable(140, out _));

        var result = CliRunner.Run("impute-csv", "--in", input, "--evaluate-mcar", "0.2", "--epochs", "5", "--json");

        Assert.True(result.ExitCode == 0, result.StdErr);
        var scores = JsonDocument.Parse(result.StdOut).RootElement.GetProperty("evaluate_mcar");
        var accuracy = scores.GetProperty("accuracy").EnumerateObject().ToDictionary(method => method.Name, method => method.Value.GetDouble());
        string best = scores.GetProperty("best").GetString()!, categories = scores.GetProperty("best_for_categories").GetString()!;
        // The first of the most accurate where it beats the RMSE winner there; else the RMSE winner itself.
        Assert.Equal(accuracy.Values.Max() > accuracy[best] ? accuracy.First(pair => pair.Value == accuracy.Values.Max()).Key : best, categories);
    }

    [Fact]
    public void AutoHidesCellsWhereTheTableMissesThemAndSaysFromWhichColumns()
    {
        // a is complete; b = 2a + noise goes missing mostly where a is large (MAR); c is noise missing at random.
        var input = Write("mar", HeldOutCheckTests.MarCsv(300));

        var result = CliRunner.Run("impute-csv", "--in", input, "--out", input + ".out.csv", "--epochs", "10", "--json");

        Assert.True(result.ExitCode == 0, result.StdErr);
        string reason = JsonDocument.Parse(result.StdOut).RootElement.GetProperty("auto").GetProperty("reason").GetString()!;
        Assert.True(reason.Contains("in 5 draws of 10% each, with each column's odds of missing predicted from the complete column a", StringComparison.Ordinal), reason);
        Assert.True(reason.StartsWith("lowest held-out error, each column weighed by its missing cells per observed one,", StringComparison.Ordinal), reason);
    }

    /// <summary>a, b uniform; c their XOR sign, d a step in each, e |a| (small noise): trees split where a line cannot.</summary>
    private static string StepTable(int rows)
    {
        var rng = new VaeSharp.Tensors.Rng(5);
        var text = new System.Text.StringBuilder("a,b,c,d,e\n");
        for (int row = 0; row < rows; row++)
        {
            double a = 2 * rng.NextDouble() - 1, b = 2 * rng.NextDouble() - 1;
            double[] values = [a, b, ((a > 0) == (b > 0) ? 1 : -1) + 0.1 * rng.NextDouble(),
                (a > 0.3 ? 2 : 0) - (b < -0.2 ? 1 : 0) + 0.1 * rng.NextDouble(), Math.Abs(a) + 0.1 * rng.NextDouble()];
            text.AppendJoin(',', values.Select(value => rng.NextDouble() < 0.15 ? "" : value.ToString("F3", CultureInfo.InvariantCulture))).Append('\n');
        }
        return text.ToString();
    }

    [Fact]
    public void AutoPicksAForestCandidateWhereTheTreesAreClearlyBest()
    {
        var input = Write("steps", StepTable(300));

        var result = CliRunner.Run("impute-csv", "--in", input, "--out", input + ".out.csv", "--epochs", "20", "--seed", "1", "--json");

        Assert.True(result.ExitCode == 0, result.StdErr);
        var auto = JsonDocument.Parse(result.StdOut).RootElement.GetProperty("auto");
        var rmse = auto.GetProperty("held_out_rmse").EnumerateObject().ToDictionary(score => score.Name, score => score.Value.GetDouble());
        foreach (var single in new[] { "mean", "knn", "iterative", "vae" })
            Assert.True(rmse["forest"] < 0.95 * rmse[single], $"forest {rmse["forest"]:F4} against {single} {rmse[single]:F4}");
        // A single, a pair or the stack: forest weighs most in it.
        var weights = auto.GetProperty("weights").EnumerateObject().ToDictionary(part => part.Name, part => part.Value.GetDouble());
        Assert.Equal("forest", weights.MaxBy(part => part.Value).Key);
    }

    [Fact]
    public void ForestGivesTheSameTableAtOneAndTwoThreads()
    {
        // Child processes, so that no thread budget is set in the test host, where other tests run meanwhile.
        var input = Write("threads", StepTable(200));
        var tables = new[] { "1", "2" }.Select(threads =>
        {
            var output = input + $".{threads}.csv";
            using var child = ChildVae.Start("impute-csv", "--in", input, "--out", output, "--method", "forest", "--threads", threads, "--seed", "4");
            Assert.True(child.WaitForExit() == 0, child.StdErr);
            return File.ReadAllText(output);
        }).ToArray();
        Assert.Equal(tables[0], tables[1]);
    }

    [Fact]
    public void IntegerColumnsGetIntegersInsideTheObservedRangeUnlessNoClip()
    {
        // cylinders is a whole number between 4 and 8; share is never negative.
        var rows = Enumerable.Range(0, 60).Select(i => (Cylinders: 4 + 2 * (i % 3), Share: 0.01 * (i % 10), Size: 1.0 + i % 3 + 0.1 * (i % 7)));
        var text = "cylinders,share,size\n" + string.Concat(rows.Select((r, i) =>
            $"{(i % 5 == 1 ? "" : r.Cylinders.ToString(CultureInfo.InvariantCulture))},{(i % 4 == 2 ? "" : r.Share.ToString("F2", CultureInfo.InvariantCulture))},{r.Size.ToString("F1", CultureInfo.InvariantCulture)}\n"));
        var input = Write("integers", text);
        foreach (var method in new[] { "iterative", "knn", "vae", "forest" })
        {
            var output = input + $".{method}.csv";
            var result = CliRunner.Run("impute-csv", "--in", input, "--out", output, "--method", method, "--epochs", "20");
            Assert.True(result.ExitCode == 0, result.StdErr);
            foreach (var line in File.ReadAllLines(output).Skip(1))
            {
                var cells = line.Split(',');
                Assert.True(int.TryParse(cells[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int cylinders), $"{method}: '{cells[0]}' is not an integer");
                Assert.InRange(cylinders, 4, 8);
                Assert.InRange(double.Parse(cells[1], CultureInfo.InvariantCulture), 0, 0.09);
            }
        }
    }

    [Fact]
    public void IntervalFileHasZeroWidthAtObservedCellsAndHoldsEachImputation()
    {
        var (data, _) = VaeImputerTests.LowRank(5);
        var text = "a,b,c,d,e,f,g,h\n" + string.Concat(Enumerable.Range(0, data.Rows).Select(r =>
            string.Join(',', Enumerable.Range(0, 8).Select(c => data.IsObserved(r, c) ? data.Values[r * 8 + c].ToString("F3", CultureInfo.InvariantCulture) : ""))
            + "\n"));
        var input = Write("interval", text);
        var (output, interval) = (input + ".out.csv", input + ".interval.csv");

        var result = CliRunner.Run("impute-csv", "--in", input, "--out", output, "--interval-out", interval, "--method", "iterative", "--json");

        Assert.True(result.ExitCode == 0, result.StdErr);
        var (inputLines, outputLines, bounds) = (File.ReadAllLines(input), File.ReadAllLines(output), File.ReadAllLines(interval));
        Assert.Equal("a_lower,a_upper,b_lower,b_upper,c_lower,c_upper,d_lower,d_upper,e_lower,e_upper,f_lower,f_upper,g_lower,g_upper,h_lower,h_upper", bounds[0]);
        Assert.Equal(inputLines.Length, bounds.Length);
        int widths = 0;
        for (int line = 1; line < inputLines.Length; line++)
        {
            var (before, after, pair) = (inputLines[line].Split(','), outputLines[line].Split(','), bounds[line].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray());
            for (int c = 0; c < 8; c++)
            {
                double value = double.Parse(after[c], CultureInfo.InvariantCulture), lower = pair[2 * c], upper = pair[2 * c + 1];
                if (before[c].Length > 0) Assert.True(lower == value && upper == value, $"observed cell {line},{c}: [{lower}, {upper}] around {value}");
                else
                {
                    Assert.True(lower <= value && value <= upper, $"missing cell {line},{c}: {value} outside [{lower}, {upper}]");
                    if (upper > lower) widths++;
                }
            }
        }
        Assert.True(widths > 0, "no imputed cell got a real interval");
    }

    [Theory]
    [InlineData("a,b\n1,2\n,3\n4,5\n", "imputed 1 cell with mean")]
    [InlineData("a,b\n1,2\n,3\n4,\n", "imputed 2 cells with mean")]
    public void TheSummaryLineCountsTheCellsAndNamesEveryFileWritten(string text, string count)
    {
        var input = Write("summary", text);
        var (output, interval) = (input + ".out.csv", input + ".interval.csv");

        var result = CliRunner.Run("impute-csv", "--in", input, "--out", output, "--method", "mean", "--interval-out", interval);

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Equal($"{count}; table in {output}, 90% intervals in {interval}", result.StdOut.Trim());
    }

    [Theory]
    [InlineData("allblank", "x,kind\n1,\n2,\n3,\n", "auto", 1, "column 'kind' has no observed value")]
    [InlineData("wide", null, "auto", 1, "10000 columns")]
    [InlineData("method", "a,b\n1,2\n,3\n4,\n", "forests", 2, "unknown method 'forests'; choose auto, vae, mean, knn, iterative or forest (--method)")]
    public void BadTablesAndMethodsAreOneErrorLineAndWriteNothing(string name, string? text, string method, int exitCode, string message)
    {
        text ??= string.Join(',', Enumerable.Range(0, 10_000).Select(i => $"c{i}")) + "\n" + string.Join(',', Enumerable.Repeat("1", 10_000)) + "\n";
        var input = Write(name, text);
        var (output, interval) = (input + ".out.csv", input + ".interval.csv");

        var result = CliRunner.Run("impute-csv", "--in", input, "--out", output, "--interval-out", interval, "--method", method);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.StartsWith("vae: error: ", Assert.Single(result.ErrorLines));
        Assert.Contains(message, result.StdErr);
        Assert.Equal([Path.GetFileName(input)], Directory.GetFiles(Path.GetDirectoryName(input)!).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("intervals-are-in", "--out {dir}/o.csv --interval-out {in}", "--interval-out would replace the input table; write to another file (--interval-out {in})")]
    [InlineData("intervals-are-in-place", "--out {in} --interval-out {in}", "--interval-out would replace the input table")]
    [InlineData("intervals-are-out", "--out {dir}/o.csv --interval-out {dir}/./o.csv", "--interval-out names the same file as --out")]
    [InlineData("no-such-folder", "--out {dir}/none/o.csv", "the output folder does not exist (--out {dir}/none/o.csv)")]
    [InlineData("out-is-a-folder", "--out {dir}", "--out names a folder, not a file (--out {dir})")]
    [InlineData("std-out-under-a-file", "--out {dir}/o.csv --method vae --samples 2 --std-out {in}/s.csv", "(--std-out {in}/s.csv)")]
    [InlineData("samples-without-vae", "--out {dir}/o.csv --method knn --samples 5", "--samples and --iterations draw from the VAE, which --method knn does not use (--samples)")]
    [InlineData("iterations-without-vae", "--out {dir}/o.csv --method mean --iterations 3", "which --method mean does not use (--iterations)")]
    [InlineData("iterations-of-one-draw", "--out {dir}/o.csv --method vae --iterations 3", "--iterations refines each of the --samples draws; give --samples 2 or more (--iterations)")]
    [InlineData("std-out-without-out", "--evaluate-mcar 0.2 --method vae --samples 2 --std-out {dir}/s.csv", "--std-out needs --out (--std-out)")]
    [InlineData("empty-out", "--out {empty}", "--out is empty; give it a file name (--out)")]
    [InlineData("empty-intervals", "--out {dir}/o.csv --interval-out {empty}", "--interval-out is empty; give it a file name (--interval-out)")]
    [InlineData("in-is-a-folder", "--in {dir} --out {dir}/o.csv", "--in names a folder, not a CSV file (--in {dir})")]
    public void OutputsThatWouldReplaceTheInputOrCannotBeWrittenAreUsageErrorsBeforeAnyWork(string name, string arguments, string message)
    {
        const string text = "a,b\n1,2\n,3\n4,\n5,6\n";
        var input = Write(name, text);
        var folder = Path.GetDirectoryName(input)!;
        string Fill(string value) => value.Replace("{in}", input).Replace("{dir}", folder).Replace("{empty}", "");
        var args = arguments.Split(' ').Select(Fill).ToList();
        if (!args.Contains("--in")) args.InsertRange(0, ["--in", input]);

        var result = CliRunner.Run(["impute-csv", .. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(Fill(message), Assert.Single(result.ErrorLines));
        Assert.Equal("", result.StdOut);
        Assert.Equal(text, File.ReadAllText(input));
        Assert.Equal([input], Directory.GetFiles(folder));
    }

    [Fact]
    public void AnOutputReachedThroughALinkedFolderIsStillTheInput()
    {
        const string text = "a,b\n1,2\n,3\n4,\n5,6\n";
        var input = Write("linked", text);
        var folder = Path.GetDirectoryName(input)!;
        var link = Path.Combine(folder, "same");
        File.CreateSymbolicLink(link, folder);

        var viaLink = CliRunner.Run("impute-csv", "--in", Path.Combine(link, "in.csv"), "--out", Path.Combine(folder, "o.csv"), "--interval-out", input, "--method", "mean");
        var outViaLink = CliRunner.Run("impute-csv", "--in", input, "--out", Path.Combine(folder, "o.csv"), "--interval-out", Path.Combine(link, "o.csv"), "--method", "mean");

        Assert.Equal((2, 2), (viaLink.ExitCode, outViaLink.ExitCode));
        Assert.Contains("--interval-out would replace the input table", Assert.Single(viaLink.ErrorLines));
        Assert.Contains("--interval-out names the same file as --out", Assert.Single(outViaLink.ErrorLines));
        Assert.Equal(text, File.ReadAllText(input));
        Assert.Equal([input], Directory.GetFiles(folder));
    }

    [Fact]
    public void AnOutFileThatIsALinkIsReplacedAndWhatItPointedToIsLeftAsItWas()
    {
        const string text = "a,b\n1,2\n,3\n4,\n5,6\n";
        var input = Write("out-link", text);
        var link = Path.Combine(Path.GetDirectoryName(input)!, "out.csv");
        File.CreateSymbolicLink(link, input);

        var result = CliRunner.Run("impute-csv", "--in", input, "--out", link, "--method", "mean");

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Null(new FileInfo(link).LinkTarget);
        Assert.Equal("a,b\n1,2\n3,3\n4,4\n5,6\n", File.ReadAllText(link)); // the means, rounded: whole-number columns
        Assert.Equal(text, File.ReadAllText(input));
    }

    [Fact]
    public void IntervalsOfATableWithoutNumbersAreAUsageErrorAndAutoShowsAccuracy()
    {
        var input = Write("categories-only", "kind,size\na,s\nb,l\na,s\n,l\nb,\na,s\nb,l\n");
        var output = input + ".out.csv";

        var refused = CliRunner.Run("impute-csv", "--in", input, "--out", output, "--interval-out", input + ".i.csv");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("the table has no numeric column to give intervals for", Assert.Single(refused.ErrorLines));
        Assert.False(File.Exists(output));

        var result = CliRunner.Run("impute-csv", "--in", input, "--out", output);
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Matches(@"^auto chose \S+: held-out accuracy mean \d\.\d{4}, knn \d\.\d{4}", result.StdOut);
    }

    [Theory]
    [InlineData("mean")]
    [InlineData("iterative")]
    public void ALongTablesFittingSampleKeepsAColumnObservedInOneRowOnly(string method)
    {
        // 60,000 rows fit on a 20,000-row sample; b is observed in one row, which two in three seeds' draws miss.
        var text = new System.Text.StringBuilder("a,b\n");
        for (int row = 0; row < 60_000; row++) text.Append(CultureInfo.InvariantCulture, $"{row % 97},{(row == 12_345 ? "7.5" : "")}\n");
        var input = Write("long-" + method, text.ToString());
        var (output, interval) = (input + ".out.csv", input + ".interval.csv");

        foreach (var seed in new[] { "1", "3" })
        {
            var result = CliRunner.Run("impute-csv", "--in", input, "--out", output, "--interval-out", interval, "--method", method, "--seed", seed);

            Assert.True(result.ExitCode == 0, result.StdErr);
            Assert.All(File.ReadLines(output).Skip(1), line => Assert.EndsWith(",7.5", line));
        }
    }

    [Fact]
    public void ACategorySeenOnceIsOneWarningAndTheTableIsStillImputed()
    {
        var input = Write("once", "x,kind\n1,a\n2,a\n3,b\n4,b\n5,rare\n6,\n7,a\n8,b\n");
        var output = input + ".out.csv";

        var result = CliRunner.Run("impute-csv", "--in", input, "--out", output, "--method", "knn");

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("seen only once ('rare')", Assert.Single(result.ErrorLines));
        Assert.Equal("b", File.ReadAllLines(output)[6].Split(',')[1]); // x = 6: its 5 nearest rows (x = 5, 7, 4, 8, 3) hold rare, a, b, b, b
    }
}

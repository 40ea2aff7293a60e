using System.Globalization;
using System.Text;
using System.Text.Json;
using VaeSharp.IO;
using VaeSharp.Tests.Imputation;

namespace VaeSharp.Tests.Cli;

/// <summary><c>vae masks</c>, masked training, <c>vae impute</c> and <c>vae impute-csv</c> end to end on tiny data.</summary>
[Collection("Cli")]
public sealed class CliImputeTests(CliFixture fixture)
{
    private string TrainMasked(string mask, string missing = "0.5")
    {
        var folder = fixture.NewFolder($"masked-{mask}");
        var result = CliRunner.Run(["train", "--preset", "impute-mlp", "--mask", mask, "--missing", missing, "--data-dir", fixture.DataDir,
            "--epochs", "1", "--batch", "100", "--out", folder, "--json"]);
        Assert.True(result.ExitCode == 0, result.StdErr);
        return folder;
    }

    [Fact]
    public void TheFigureDefaultsToTheMaskTheRunTrainedWith()
    {
        var folder = TrainMasked("line", "0.3");

        var figure = CliRunner.Run("impute", "--model", folder, "--samples", "2", "--count", "2", "--data-dir", fixture.DataDir);

        Assert.True(figure.ExitCode == 0, figure.StdErr);
        Assert.True(File.Exists(Path.Combine(folder, "impute-line-0.3.png")), figure.StdOut);
    }

    [Fact]
    public void MasksMakeWritesTrainAndTestTensorsPerFraction()
    {
        var path = Path.Combine(fixture.NewFolder("masks"), "masks.safetensors");
        var result = CliRunner.Run("masks", "make", "--kind", "line", "--fractions", "0.1,0.5", "--train-count", "20", "--test-count", "5", "--out", path);
        Assert.Equal(0, result.ExitCode);
        var file = SafetensorsReader.Read(path);
        Assert.Equal(["line/0.1/test", "line/0.1/train", "line/0.5/test", "line/0.5/train"], file.Tensors.Select(t => t.Name).Order());
        Assert.Equal("(20, 28, 28)", file.Tensors.Single(t => t.Name == "line/0.5/train").Tensor.Shape.ToString());
    }

    [Fact]
    public void MaskedTrainingThenFigureAndEvaluation()
    {
        var folder = TrainMasked("pixel");
        var png = Path.Combine(folder, "figure.png");
        var figure = CliRunner.Run("impute", "--model", folder, "--mask", "pixel", "--missing", "0.5", "--samples", "3", "--count", "2",
            "--data-dir", fixture.DataDir, "--out", png);
        Assert.True(figure.ExitCode == 0, figure.StdErr);
        Assert.Contains("mean per-pixel std across draws", figure.StdOut);
        var bytes = File.ReadAllBytes(png);
        // Five columns (original, masked, three draws) of 28·2 + 2 pixels, plus the frame and margins.
        Assert.True(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)) >= 5 * 58 + 2);

        var evaluation = CliRunner.Run("impute", "--model", folder, "--evaluate", "--mask", "line", "--fractions", "0.2,0.6",
            "--test-count", "20", "--reference", "50", "--data-dir", fixture.DataDir, "--json");
        Assert.True(evaluation.ExitCode == 0, evaluation.StdErr);
        var rows = JsonDocument.Parse(evaluation.StdOut).RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(8, rows.Count);
        Assert.Equal(["iterative", "knn", "mean", "vae"], rows.Select(r => r.GetProperty("method").GetString()).Distinct().Order());
        Assert.All(rows, r => Assert.True(double.IsFinite(r.GetProperty("rmse").GetDouble())));
        Assert.All(rows, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("accuracy").ValueKind)); // line masks: no classifier

        var pixel = CliRunner.Run("impute", "--model", folder, "--evaluate", "--mask", "pixel", "--fractions", "0.5",
            "--test-count", "20", "--reference", "50", "--data-dir", fixture.DataDir, "--json");
        Assert.True(pixel.ExitCode == 0, pixel.StdErr);
        Assert.All(JsonDocument.Parse(pixel.StdOut).RootElement.GetProperty("results").EnumerateArray(),
            r => Assert.InRange(r.GetProperty("accuracy").GetDouble(), 0, 1));
    }

    [Fact]
    public void ConditionalModelTrainsImputesAndScoresChosenMethods()
    {
        var folder = fixture.NewFolder("vaeac");
        var train = CliRunner.Run(["train", "--preset", "impute-vaeac", "--mask", "line", "--missing", "0.3", "--data-dir", fixture.DataDir,
            "--epochs", "1", "--batch", "100", "--out", folder, "--json"]);
        Assert.True(train.ExitCode == 0, train.StdErr);
        var figure = CliRunner.Run("impute", "--model", folder, "--mask", "line", "--missing", "0.7", "--samples", "2", "--count", "2",
            "--data-dir", fixture.DataDir, "--out", Path.Combine(folder, "figure.png"));
        Assert.True(figure.ExitCode == 0, figure.StdErr);

        var evaluation = CliRunner.Run("impute", "--model", folder, "--evaluate", "--mask", "line", "--fractions", "0.1,0.9",
            "--methods", "iterative,vae", "--test-count", "20", "--reference", "50", "--data-dir", fixture.DataDir, "--json");
        Assert.True(evaluation.ExitCode == 0, evaluation.StdErr);
        var report = JsonDocument.Parse(evaluation.StdOut).RootElement;
        var rows = report.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["vae", "iterative", "vae", "iterative"], rows.Select(r => r.GetProperty("method").GetString()));
        // The baselines learn from training digits masked as the model's run masked them, whatever fraction is scored.
        Assert.Equal("the model's training masks (line 0.3, seed 1)", report.GetProperty("reference_masks").GetString());

        var badMethod = CliRunner.Run("impute", "--model", folder, "--evaluate", "--methods", "vae,median", "--data-dir", fixture.DataDir);
        Assert.Equal(2, badMethod.ExitCode);
        Assert.Contains("--methods", badMethod.StdErr);
        // A conditional model bounds p(hidden | visible), not p(x): eval says where to look instead.
        var eval = CliRunner.Run("eval", "--model", folder, "--data-dir", fixture.DataDir);
        Assert.Equal(2, eval.ExitCode);
        Assert.Contains("vae impute --evaluate", eval.StdErr);
    }

    [Fact]
    public void SavedMasksScoreLikeTheSeedThatDrewThem()
    {
        var folder = TrainMasked("line");
        var masks = Path.Combine(folder, "masks.safetensors");
        Assert.Equal(0, CliRunner.Run("masks", "make", "--kind", "line", "--fractions", "0.4", "--train-count", $"{CliFixture.TrainCount}",
            "--test-count", $"{CliFixture.TestCount}", "--seed", "3", "--out", masks).ExitCode);
        string[] evaluate = ["impute", "--model", folder, "--evaluate", "--mask", "line", "--fractions", "0.4", "--methods", "vae,mean",
            "--test-count", "30", "--reference", "60", "--data-dir", fixture.DataDir, "--json"];
        var drawn = CliRunner.Run([.. evaluate, "--seed", "3"]);
        var saved = CliRunner.Run([.. evaluate, "--masks", masks]);
        Assert.True(saved.ExitCode == 0, saved.StdErr);
        Assert.Equal(drawn.StdOut, saved.StdOut);

        var missing = CliRunner.Run([.. evaluate.Select(arg => arg == "0.4" ? "0.6" : arg), "--masks", masks]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no tensor line/0.6/test", missing.StdErr);
    }

    [Fact]
    public void UnmaskedPresetWithAMaskIsAUsageError()
    {
        var result = CliRunner.Run("train", "--preset", "keras-mlp", "--mask", "pixel", "--data-dir", fixture.DataDir, "--out", fixture.NewFolder("bad"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--masked", result.StdErr);
        Assert.Equal(2, CliRunner.Run("train", "--preset", "impute-mlp", "--data-dir", fixture.DataDir, "--out", fixture.NewFolder("bad")).ExitCode);
    }

    [Fact]
    public void ImputeCsvKeepsObservedTextAndReportsTheWinner()
    {
        var folder = fixture.NewFolder("csv");
        var (data, _) = VaeImputerTests.LowRank(5);
        var csv = new StringBuilder("id,\"x, one\",b,c,d,e,f,g,h\r\n");
        for (int r = 0; r < data.Rows; r++)
            csv.Append($"row{r},").AppendJoin(',', Enumerable.Range(0, 8).Select(c => data.IsObserved(r, c) ? data.Values[r * 8 + c].ToString("F3", CultureInfo.InvariantCulture) : "NA")).Append("\r\n");
        var input = Path.Combine(folder, "in.csv");
        File.WriteAllText(input, csv.ToString());
        var output = Path.Combine(folder, "out.csv");
        var std = Path.Combine(folder, "std.csv");

        var result = CliRunner.Run("impute-csv", "--in", input, "--out", output, "--method", "vae", "--samples", "3", "--std-out", std, "--epochs", "20", "--evaluate-mcar", "0.2", "--json");

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("column 'id' is free text", result.StdErr);
        var summary = JsonDocument.Parse(result.StdOut).RootElement;
        Assert.Equal(std, summary.GetProperty("std_out").GetString());
        Assert.Contains(summary.GetProperty("evaluate_mcar").GetProperty("best").GetString(), new[] { "vae", "mean", "knn", "iterative", "forest" });
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("evaluate_mcar").GetProperty("best_for_categories").ValueKind); // no categories
        var inputLines = File.ReadAllText(input).Split("\r\n");
        var outputLines = File.ReadAllText(output).Split("\r\n");
        Assert.Equal(inputLines.Length, outputLines.Length);
        Assert.Equal(inputLines[0], outputLines[0]);
        for (int line = 1; line < inputLines.Length - 1; line++)
        {
            var (before, after) = (inputLines[line].Split(','), outputLines[line].Split(','));
            for (int c = 0; c < before.Length; c++)
                if (before[c] != "NA") Assert.Equal(before[c], after[c]);
                else AssertFinite(after[c]);
        }
        // The std file is the table with each numeric cell's spread: 0 where the cell was observed, finite and ≥ 0 elsewhere.
        var stdLines = File.ReadAllText(std).Split("\r\n");
        Assert.Equal(inputLines.Length, stdLines.Length);
        for (int line = 1; line < inputLines.Length - 1; line++)
        {
            var (before, spread) = (inputLines[line].Split(','), stdLines[line].Split(','));
            Assert.Equal(before[0], spread[0]);
            for (int c = 1; c < before.Length; c++)
            {
                double value = AssertFinite(spread[c]);
                if (before[c] != "NA") Assert.True(value == 0, $"observed cell {line},{c} has std {spread[c]}");
                else Assert.True(value >= 0, $"missing cell {line},{c} has std {spread[c]}");
            }
        }
    }

    [Theory]
    [InlineData("vae")]
    [InlineData("mean")]
    [InlineData("knn")]
    [InlineData("iterative")]
    [InlineData("forest")]
    public void ImputeCsvFillsEveryMissingCellWithAFiniteNumber(string method)
    {
        var folder = fixture.NewFolder("finite-" + method);
        var (data, _) = VaeImputerTests.LowRank(5);
        var csv = new StringBuilder("a,b,c,d,e,f,g,h\n");
        for (int r = 0; r < data.Rows; r++)
            csv.AppendJoin(',', Enumerable.Range(0, 8).Select(c => data.IsObserved(r, c) ? data.Values[r * 8 + c].ToString("F3", CultureInfo.InvariantCulture) : "")).Append('\n');
        var input = Path.Combine(folder, "in.csv");
        File.WriteAllText(input, csv.ToString());
        var output = Path.Combine(folder, "out.csv");

        var result = CliRunner.Run("impute-csv", "--in", input, "--out", output, "--method", method, "--epochs", "5");

        Assert.True(result.ExitCode == 0, result.StdErr);
        var (inputLines, outputLines) = (File.ReadAllLines(input), File.ReadAllLines(output));
        Assert.Equal(inputLines.Length, outputLines.Length);
        int filled = 0;
        for (int line = 1; line < inputLines.Length; line++)
        {
            var (before, after) = (inputLines[line].Split(','), outputLines[line].Split(','));
            for (int c = 0; c < before.Length; c++)
                if (before[c].Length > 0) Assert.Equal(before[c], after[c]);
                else { AssertFinite(after[c]); filled++; }
        }
        Assert.True(filled > 0, "the table had no missing cell to fill");
    }

    /// <summary>A cell that parses as a finite number; float.TryParse alone would let NaN and Infinity through.</summary>
    private static double AssertFinite(string cell)
    {
        Assert.True(double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double value), $"'{cell}' is not a number");
        Assert.True(double.IsFinite(value), $"'{cell}' is not finite");
        return value;
    }

    [Fact]
    public void ImputeCsvRoundTripsACompleteTable()
    {
        var folder = fixture.NewFolder("complete");
        var input = Path.Combine(folder, "in.csv");
        File.WriteAllText(input, "a,b\n1.50,2\n3,4e1\n5,6\n");
        var output = Path.Combine(folder, "out.csv");
        Assert.Equal(0, CliRunner.Run("impute-csv", "--in", input, "--out", output, "--epochs", "2").ExitCode);
        Assert.Equal(File.ReadAllBytes(input), File.ReadAllBytes(output));
    }

    [Fact]
    public void ImputeCsvRaggedRowIsOneErrorLineWithTheLineNumber()
    {
        var input = Path.Combine(fixture.NewFolder("ragged"), "in.csv");
        File.WriteAllText(input, "a,b\n1,2\n3\n");
        var result = CliRunner.Run("impute-csv", "--in", input, "--out", input + ".out");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("line 3 has 1 field but", Assert.Single(result.ErrorLines));
    }
}

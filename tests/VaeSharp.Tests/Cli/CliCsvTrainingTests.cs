using System.Text;
using System.Text.Json;
using VaeSharp.Data;
using VaeSharp.Models;
using VaeSharp.Plotting;
using VaeSharp.Tensors;

namespace VaeSharp.Tests.Cli;

/// <summary><c>vae train --csv</c>: a user's own Kaggle-format digits instead of MNIST, split by the seed.</summary>
[Collection("Cli")]
public class CliCsvTrainingTests(CliFixture fixture)
{
    private string WriteCsv(int rows, bool labelled)
    {
        var rng = new Random(5);
        var text = new StringBuilder(labelled ? "label," : "").AppendJoin(',', Enumerable.Range(0, 784).Select(i => $"pixel{i}")).Append('\n');
        for (int r = 0; r < rows; r++)
        {
            if (labelled) text.Append(r % 10).Append(',');
            text.AppendJoin(',', Enumerable.Range(0, 784).Select(i => i / 28 == r % 10 + 9 ? 255 : rng.Next(30))).Append('\n');
        }
        var path = Path.Combine(fixture.NewFolder("csv"), labelled ? "train.csv" : "test.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    [Fact]
    public void TrainsOnACsvWithAValidationSplitAndResumesFromIt()
    {
        var csv = WriteCsv(120, labelled: true);
        var folder = fixture.NewFolder("csv-run");
        var first = CliRunner.Run("train", "--csv", csv, "--validation", "20", "--epochs", "1", "--batch", "32", "--seed", "4", "--out", folder, "--json");
        Assert.True(first.ExitCode == 0, first.StdErr);
        Assert.True(double.IsFinite(JsonDocument.Parse(first.StdOut).RootElement.GetProperty("test_neg_elbo").GetDouble()));
        var source = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "training.json"))).RootElement.GetProperty("data_source");
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(csv))), source.GetProperty("csv_sha256").GetString()); // the whole file's

        var resumed = CliRunner.Run("resume", "--model", folder, "--epochs", "2", "--json");
        Assert.True(resumed.ExitCode == 0, resumed.StdErr);
        var straight = fixture.NewFolder("csv-straight");
        Assert.Equal(0, CliRunner.Run("train", "--csv", csv, "--validation", "20", "--epochs", "2", "--batch", "32", "--seed", "4", "--out", straight).ExitCode);
        Assert.Equal(ModelFile.Load(Path.Combine(straight, ModelFile.FileName)).Parameters.Values,
            ModelFile.Load(Path.Combine(folder, ModelFile.FileName)).Parameters.Values);
    }

    [Fact]
    public void AnUnlabelledCsvTrainsToo()
    {
        var result = CliRunner.Run("train", "--csv", WriteCsv(50, labelled: false), "--validation", "10", "--epochs", "1",
            "--out", fixture.NewFolder("csv-unlabelled"), "--json");
        Assert.True(result.ExitCode == 0, result.StdErr);
    }

    [Theory]
    [InlineData("--validation")]
    [InlineData("--csv")]
    public void CsvOptionsMisusedAreUsageErrors(string option)
    {
        var csv = WriteCsv(30, labelled: true);
        string[] args = option == "--validation"
            ? ["train", "--validation", "10", "--data-dir", fixture.DataDir, "--out", fixture.NewFolder("bad")]
            : ["train", "--csv", csv, "--data-dir", fixture.DataDir, "--out", fixture.NewFolder("bad")];
        var result = CliRunner.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith($"({option})", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void ACsvWithoutImagesNamesTheFile()
    {
        var csv = Path.Combine(fixture.NewFolder("empty-csv"), "train.csv");
        File.WriteAllText(csv, "label," + string.Join(',', Enumerable.Range(0, 784).Select(i => $"pixel{i}")) + "\n");
        var result = CliRunner.Run("train", "--csv", csv, "--out", fixture.NewFolder("bad"));
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"vae: error: the CSV holds a header but no images ({csv})", Assert.Single(result.ErrorLines));
    }

    /// <summary>A one-epoch run on a fresh 40-row CSV: the file and the run folder.</summary>
    private (string Csv, string Folder) SmallCsvRun(string name)
    {
        var csv = WriteCsv(40, labelled: true);
        var folder = fixture.NewFolder(name);
        Assert.Equal(0, CliRunner.Run("train", "--csv", csv, "--validation", "10", "--epochs", "1", "--out", folder).ExitCode);
        return (csv, folder);
    }

    [Fact]
    public void ResumingARunWhoseCsvIsGoneNamesTheFile()
    {
        var (csv, folder) = SmallCsvRun("csv-gone");
        File.Delete(csv);

        var result = CliRunner.Run("resume", "--model", folder, "--epochs", "2");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"the run was trained on {csv}, which is gone", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void ACsvThatChangedSinceTrainingIsRefusedByResumeAndThePictures()
    {
        var (csv, folder) = SmallCsvRun("csv-changed");
        var lines = File.ReadAllLines(csv);
        lines[5] = "3" + lines[5][1..]; // one label changed, the file otherwise the same
        File.WriteAllText(csv, string.Join('\n', lines) + "\n");

        var resumed = CliRunner.Run("resume", "--model", folder, "--epochs", "2");
        var drawn = CliRunner.Run("reconstruct", "--model", folder, "--out", Path.Combine(folder, "r.png"));

        foreach (var result in new[] { resumed, drawn })
        {
            Assert.Equal(1, result.ExitCode);
            Assert.Equal($"vae: error: the CSV has changed since the run was trained on it (its SHA-256 is no longer the one training.json records); put the original back ({csv})",
                Assert.Single(result.ErrorLines));
        }
    }

    [Fact]
    public async Task AnEndlessCsvFailsAtOnceAndAPipeIsReadOnce()
    {
        if (!OperatingSystem.IsLinux()) return;
        var endless = CliRunner.Run("train", "--csv", "/dev/zero", "--epochs", "1", "--out", fixture.NewFolder("zero"));
        Assert.Equal(1, endless.ExitCode);
        Assert.Contains("line 1 is longer than 65,536 characters", Assert.Single(endless.ErrorLines));

        // A fifo can be read once: hashing it in a pass of its own would leave nothing to parse.
        var fifo = Path.Combine(fixture.NewFolder("pipe"), "digits.csv");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        var csv = WriteCsv(40, labelled: true);
        var writer = Task.Run(() => File.WriteAllBytes(fifo, File.ReadAllBytes(csv)));
        var piped = CliRunner.Run("train", "--csv", fifo, "--validation", "10", "--epochs", "1", "--out", fixture.NewFolder("piped"));
        await writer;
        Assert.True(piped.ExitCode == 0, piped.StdErr);
    }

    [Fact]
    public void EvalScoresACsvRunOnItsOwnValidationImages()
    {
        var csv = WriteCsv(60, labelled: true);
        var folder = fixture.NewFolder("csv-eval");
        Assert.Equal(0, CliRunner.Run("train", "--csv", csv, "--validation", "15", "--epochs", "1", "--seed", "2", "--out", folder).ExitCode);

        var result = CliRunner.Run("eval", "--model", folder, "--iw-samples", "5", "--seed", "9", "--json");

        Assert.True(result.ExitCode == 0, result.StdErr);
        var (train, validation) = DigitsCsv.CombineAndSplit(DigitsCsv.Read(csv), null, 15, new Rng(2));
        var expected = VaeSharp.Evaluation.EvaluationReport.Evaluate(ModelFile.Load(Path.Combine(folder, ModelFile.FileName)), train, validation, 5, new Rng(9));
        var scored = JsonDocument.Parse(result.StdOut).RootElement;
        Assert.Equal(expected.TestNegElbo, scored.GetProperty("test_neg_elbo").GetDouble());
        Assert.Equal(expected.LatentKnnAccuracy, scored.GetProperty("latent_knn_accuracy").GetDouble());
    }

    [Fact]
    public void AValidationSetAsLargeAsTheCsvIsRefused()
    {
        var result = CliRunner.Run("train", "--csv", WriteCsv(30, labelled: true), "--validation", "30", "--out", fixture.NewFolder("bad"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--validation", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void PictureVerbsDrawACsvRunFromItsOwnValidationImages()
    {
        var csv = WriteCsv(120, labelled: true);
        var folder = fixture.NewFolder("csv-pictures");
        Assert.Equal(0, CliRunner.Run("train", "--csv", csv, "--validation", "20", "--epochs", "1", "--batch", "32", "--seed", "4", "--out", folder).ExitCode);
        var model = ModelFile.Load(Path.Combine(folder, ModelFile.FileName));
        var (train, validation) = DigitsCsv.CombineAndSplit(DigitsCsv.Read(csv), null, 20, new Rng(4));

        Assert.Equal(0, CliRunner.Run("reconstruct", "--model", folder, "--count", "10").ExitCode);
        Assert.Equal(Figures.Reconstruct(model, validation, 10, 1), File.ReadAllBytes(Path.Combine(folder, "reconstruct.png")));
        Assert.Equal(0, CliRunner.Run("latent", "--model", folder, "--split", "train").ExitCode);
        Assert.Equal(Figures.Latent(model, train, 10_000), File.ReadAllBytes(Path.Combine(folder, "latent.png")));
        Assert.Equal(0, CliRunner.Run("report", "--model", folder).ExitCode);
        Assert.Contains("Latent means of 20 test images", File.ReadAllText(Path.Combine(folder, "report.html")));

        // An explicit --data-dir still draws MNIST; a CSV that has gone is one error line.
        Assert.Equal(0, CliRunner.Run("reconstruct", "--model", folder, "--count", "10", "--data-dir", fixture.DataDir).ExitCode);
        Assert.Equal(Figures.Reconstruct(model, Mnist.LoadTest(fixture.DataDir), 10, 1), File.ReadAllBytes(Path.Combine(folder, "reconstruct.png")));
        File.Delete(csv);
        var gone = CliRunner.Run("latent", "--model", folder);
        Assert.Equal(1, gone.ExitCode);
        Assert.Equal($"vae: error: the run was trained on {csv}, which is gone; give --data-dir to draw MNIST instead (--model)", Assert.Single(gone.ErrorLines));
    }
}

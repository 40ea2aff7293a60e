using System.Text;
using VaeSharp.Models;
using VaeSharp.Tensors;
using VaeSharp.Training;
using VaeSharp.Tests.Training;

namespace VaeSharp.Tests.Fuzz;

/// <summary>
/// training.json under random damage: each case parses into a checked state or fails with an
/// <see cref="InvalidDataException"/>, and the weight-file names it gives can never leave the run folder.
/// </summary>
[Trait("Category", "Fuzz")]
public class CheckpointFuzzTests
{
    [Fact]
    public void TrainingStateParsesOrFailsWithAnInvalidDataError()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"vaesharp-fuzz-{Guid.NewGuid():N}");
        try
        {
            var trainer = new Trainer(new VaeModel(new ModelSpec { InputShape = [8, 8], Hidden = [4], Latent = 2 }, new Rng(1)),
                new TrainingOptions { Epochs = 2, BatchSize = 64, Seed = 2, ClipGradNorm = 5f });
            var run = new RunDirectory(folder);
            trainer.Fit(SyntheticDigits.Create(100, 1), SyntheticDigits.Create(50, 2), epochCompleted: _ => Checkpoint.Save(run, trainer, new Dictionary<string, string> { ["limit"] = "100" }));
            byte[] valid = File.ReadAllBytes(Path.Combine(folder, Checkpoint.StateFileName));
            var (accepted, rejected) = FuzzRunner.Run("training.json", valid, 31, "{}[],:\"0123456789-. eEnulltrue/.\\", bytes =>
            {
                var file = Checkpoint.ParseState(Encoding.UTF8.GetString(bytes), "fuzz.json");
                Assert.DoesNotContain('/', file.ModelFile + file.OptimizerFile);
            }, typeof(InvalidDataException));
            Assert.True(accepted > 0 && rejected > 0, $"accepted {accepted}, rejected {rejected}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

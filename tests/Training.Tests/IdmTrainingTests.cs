using Pipeline.Models.Idm;
using Pipeline.Models.Weights;
using Pipeline.Training.Idm;

namespace Pipeline.Training.Tests;

public sealed class IdmTrainingTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("idm-training-").FullName;

    [Fact]
    public void Training_writes_loadable_weights_and_resumes_from_its_checkpoint()
    {
        var data = TrainerTests.MakeImages(Path.Combine(root, "images"));
        var output = Path.Combine(root, "run");
        var options = TrainerTests.Options(TrainingStage.Idm, data, output, steps: 2);
        var result = IdmTrainer.Run(options);
        Assert.True(double.IsFinite(result.FinalLoss));
        using (var trained = IdmWeights.Load(result.WeightsPath))
            Assert.InRange(trained.TargetScale, 1, 1000);
        Assert.Equal("2", ModelWeights.ReadMetadata(result.WeightsPath)["step"]);

        var resumed = IdmTrainer.Run(options with { Steps = 3 });
        var logged = File.ReadAllLines(Path.Combine(output, "log.csv")).Skip(1).Select(l => l.Split(',')[0]).ToList();
        Assert.Equal(["1", "2", "3"], logged);
        Assert.Equal("3", ModelWeights.ReadMetadata(resumed.WeightsPath)["step"]);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}

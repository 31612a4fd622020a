using Pipeline.Models.Geometry;
using Pipeline.Models.Inference;
using Pipeline.Models.Latent;
using Pipeline.Models.Weights;
using Pipeline.Training;

namespace Pipeline.Training.Tests;

/// <summary>End-to-end smoke runs of the trainer on a few tiny generated PNGs (seconds, not a real training).</summary>
public sealed class TrainerTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("sr-train-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    string MakeImages() => MakeImages(Path.Combine(root, "images"));

    /// <summary>Three 48×40 PNGs of sine patterns with noise.</summary>
    public static string MakeImages(string dir)
    {
        Directory.CreateDirectory(dir);
        var random = new Random(1);
        for (var i = 0; i < 3; i++)
        {
            const int w = 48, h = 40;
            var data = new byte[3 * w * h];
            for (var c = 0; c < 3; c++)
                for (var y = 0; y < h; y++)
                    for (var x = 0; x < w; x++)
                        data[(c * h + y) * w + x] = (byte)Math.Clamp(128 + 100 * Math.Sin(0.3 * x + 0.2 * y * (i + 1) + c) + random.Next(-20, 21), 0, 255);
            new RgbImage(w, h, data, $"{i}.png").SavePng(Path.Combine(dir, $"img{i}.png"));
        }
        return dir;
    }

    /// <summary>A few tiny steps on tiny patches: what every training test runs.</summary>
    internal static TrainingOptions Options(TrainingStage stage, string data, string output, int steps, string? stage1 = null) =>
        TrainingOptions.Defaults(stage, "small", data, output, stage1) with
        {
            Steps = steps,
            BatchSize = 2,
            Patches = new PatchOptions(null, 32, 1.5, 3),
            LogEvery = 1,
            CheckpointEvery = 2,
            ScaleFactorBatches = 2,
            Seed = 3,
        };

    [Fact]
    public void Png_round_trips_through_skia()
    {
        var dir = MakeImages();
        var images = ImageFolder.Load(dir);
        Assert.Equal(3, images.Count);
        Assert.Equal((48, 40), (images[0].Width, images[0].Height));
        var again = Path.Combine(root, "again.png");
        images[0].SavePng(again);
        Assert.Equal(images[0].Data, RgbImage.Decode(again).Data);
    }

    [Fact]
    public void Learning_rate_decays_on_a_cosine_from_the_peak_to_the_floor_or_stays_constant()
    {
        var cosine = Options(TrainingStage.Stage2, root, root, 3000) with { LearningRate = 1e-4, MinLearningRate = 1e-6 };
        var rates = Enumerable.Range(1, 3000).Select(step => Trainer.LearningRateAt(cosine, step)).ToArray();
        Assert.Equal(1e-4, rates[0], 12);
        Assert.Equal(1e-6, rates[^1], 12);
        Assert.Equal((1e-4 + 1e-6) / 2, Trainer.LearningRateAt(cosine with { Steps = 3001 }, 1501), 12);
        Assert.All(rates.Zip(rates.Skip(1)), pair => Assert.True(pair.Second <= pair.First));

        var constant = cosine with { MinLearningRate = null };
        Assert.All(new[] { 1, 1800, 3000 }, step => Assert.Equal(1e-4, Trainer.LearningRateAt(constant, step)));
    }

    [Fact]
    public void All_three_stages_train_export_and_load()
    {
        var data = MakeImages();
        var reports = new List<TrainingProgress>();
        var s1 = Trainer.Run(Options(TrainingStage.Stage1, data, Path.Combine(root, "s1"), 3), new SyncProgress(reports));
        Assert.Equal(3, reports.Count);
        Assert.True(File.Exists(s1.WeightsPath));
        Assert.Equal(4, File.ReadAllLines(Path.Combine(root, "s1", "log.csv")).Length);

        foreach (var stage in new[] { TrainingStage.Stage2, TrainingStage.Lcmsr })
        {
            var result = Trainer.Run(Options(stage, data, Path.Combine(root, stage.ToString()), 2, s1.WeightsPath));
            Assert.True(double.IsFinite(result.FinalLoss));
            using var resolver = SuperResolver.Load(result.WeightsPath);
            Assert.NotEqual(1.0, resolver.Model.ScaleFactor);
            var g = TileGeometry.Whole(8, 8, 20, 20);
            var sr = resolver.Upscale(TestModels.RandomImage(1, 8, 8, 1), g, new LatentSampling(resolver.NativeSampler, 1));
            Assert.Equal(20, sr.shape[3]);
        }
    }

    [Fact]
    public void A_resumed_run_ends_where_an_uninterrupted_one_does()
    {
        var data = MakeImages();
        var straight = Trainer.Run(Options(TrainingStage.Stage1, data, Path.Combine(root, "a"), 4));
        // Interrupt the same run after step 2 (its checkpoint), then start it again.
        using var cancel = new CancellationTokenSource();
        var stopAfterTwo = new SyncProgress([], p => { if (p.Step == 2) cancel.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => Trainer.Run(Options(TrainingStage.Stage1, data, Path.Combine(root, "b"), 4), stopAfterTwo, cancel.Token));
        var resumed = Trainer.Run(Options(TrainingStage.Stage1, data, Path.Combine(root, "b"), 4));
        Assert.Equal(File.ReadAllLines(Path.Combine(root, "a", "log.csv")).Select(l => string.Join(",", l.Split(",")[..6])),
                     File.ReadAllLines(Path.Combine(root, "b", "log.csv")).Select(l => string.Join(",", l.Split(",")[..6])));
        var a = ModelWeights.LoadStage1(straight.WeightsPath).state_dict();
        var b = ModelWeights.LoadStage1(resumed.WeightsPath).state_dict();
        foreach (var (name, t) in a)
            Assert.True(TorchSharp.torch.allclose(t, b[name], rtol: 1e-4, atol: 1e-6), name);
    }

    sealed class SyncProgress(List<TrainingProgress> sink, Action<TrainingProgress>? then = null) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            sink.Add(value);
            then?.Invoke(value);
        }
    }
}

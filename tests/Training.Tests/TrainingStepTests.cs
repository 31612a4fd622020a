using Pipeline.Models.Configuration;
using Pipeline.Models.Diffusion;
using Pipeline.Models.Geometry;
using Pipeline.Models.Layers;
using Pipeline.Models.Stage1;
using Pipeline.Models.Stage2;
using Pipeline.Training;
using static TorchSharp.torch;

namespace Pipeline.Training.Tests;

public class TrainingStepTests
{
    static TrainingBatch FixedBatch()
    {
        // A smooth HR image and its 2x-downsampled LR, batch of 2.
        var hr = (TestModels.RandomImage(2, 8, 8, 1).unsqueeze(0).squeeze(0));
        hr = nn.functional.interpolate(hr, size: [32, 32], mode: InterpolationMode.Bilinear, align_corners: false);
        var lr = nn.functional.interpolate(hr, size: [16, 16], mode: InterpolationMode.Bilinear, align_corners: false);
        return new TrainingBatch(hr, lr, TileGeometry.Whole(16, 16, 32, 32));
    }

    static void AssertOneStepLowersLoss(ITrainingObjective objective, double lr)
    {
        var batch = FixedBatch();
        var optimizer = optim.Adam(objective.Parameters, lr);
        var (before, _) = objective.Loss(batch, new Generator().manual_seed(5));
        optimizer.zero_grad();
        before.backward();
        optimizer.step();
        var (after, _) = objective.Loss(batch, new Generator().manual_seed(5));
        Assert.True(after.item<float>() < before.item<float>(), $"loss {before.item<float>()} -> {after.item<float>()}");
    }

    static DifferentialAutoencoder Stage1(long seed)
    {
        var ae = new DifferentialAutoencoder(SrConfig.Small);
        Initialization.Reinitialize(ae, seed);
        return ae;
    }

    static (SrModel, LatentUNet) SecondStage(SecondStageKind kind)
    {
        var model = new SrModel(SrConfig.Small, kind) { ScaleFactor = 1.0 };
        Initialization.Reinitialize(model, 3);
        var ema = new LatentUNet(SrConfig.Small.UNet);
        return (model, ema);
    }

    [Fact]
    public void Stage1_step_lowers_the_loss() => AssertOneStepLowersLoss(new Stage1Objective(Stage1(1)), 1e-4);

    [Fact]
    public void E2DiffSR_step_lowers_the_loss()
    {
        var (model, ema) = SecondStage(SecondStageKind.E2DiffSR);
        var objective = new E2DiffSRObjective(Stage1(2), model, ema, 0.999);
        objective.Ema.CopyFromSource();
        AssertOneStepLowersLoss(objective, 1e-4);
    }

    [Fact]
    public void Consistency_step_lowers_the_loss()
    {
        var (model, ema) = SecondStage(SecondStageKind.Lcmsr);
        var objective = new ConsistencyObjective(Stage1(2), model, ema, 0.999);
        objective.Ema.CopyFromSource();
        AssertOneStepLowersLoss(objective, 1e-4);
    }

    [Theory]
    [InlineData(SecondStageKind.E2DiffSR, false, false)]
    [InlineData(SecondStageKind.E2DiffSR, true, true)]
    [InlineData(SecondStageKind.Lcmsr, true, false)]
    public void Pixel_loss_trains_the_decoder_only_when_it_is_tuned_and_a_frozen_UNet_stays(SecondStageKind kind, bool tuneDecoder, bool freezeUNet)
    {
        var (model, ema) = SecondStage(kind);
        var losses = new SecondStageLosses(PixelWeight: 1, TuneDecoder: tuneDecoder, FreezeUNet: freezeUNet);
        SecondStageObjective objective = kind == SecondStageKind.E2DiffSR
            ? new E2DiffSRObjective(Stage1(2), model, ema, 0.999, losses)
            : new ConsistencyObjective(Stage1(2), model, ema, 0.999, losses);
        objective.Ema.CopyFromSource();
        var decoderBefore = model.Decoder.parameters().Select(p => p.detach().clone()).ToList();
        var condNetBefore = model.CondNet.parameters().Select(p => p.detach().clone()).ToList();
        var unetBefore = model.UNet.parameters().Select(p => p.detach().clone()).ToList();

        var (_, terms) = objective.Loss(FixedBatch(), new Generator().manual_seed(5));
        Assert.Contains("pixel", terms.Keys);
        Assert.Equal(!freezeUNet, terms.ContainsKey(kind == SecondStageKind.E2DiffSR ? "diffusion" : "consistency"));
        AssertOneStepLowersLoss(objective, 1e-4);

        static bool Moved(IEnumerable<Tensor> now, List<Tensor> before) =>
            now.Zip(before).Any(pair => !pair.First.detach().allclose(pair.Second, rtol: 0, atol: 0));
        Assert.Equal(tuneDecoder, Moved(model.Decoder.parameters(), decoderBefore));
        Assert.True(Moved(model.CondNet.parameters(), condNetBefore));
        Assert.Equal(!freezeUNet, Moved(model.UNet.parameters(), unetBefore));
    }

    [Fact]
    public void The_mse_pixel_loss_is_the_mean_squared_error_and_its_step_lowers_the_loss()
    {
        double PixelTerm(bool mse)
        {
            var (model, ema) = SecondStage(SecondStageKind.E2DiffSR);
            var objective = new E2DiffSRObjective(Stage1(2), model, ema, 0.999, new SecondStageLosses(PixelWeight: 1, FreezeUNet: true, PixelMse: mse));
            return objective.Loss(FixedBatch(), new Generator().manual_seed(5)).Terms["pixel"];
        }

        var l1 = PixelTerm(mse: false);
        var squared = PixelTerm(mse: true);
        // Same model and batch: mean(e²) ≥ mean(|e|)² (Jensen) and, with |e| < 1 everywhere, mean(e²) < mean(|e|).
        Assert.InRange(squared, l1 * l1, l1 * 0.999);

        var (model, ema) = SecondStage(SecondStageKind.E2DiffSR);
        AssertOneStepLowersLoss(new E2DiffSRObjective(Stage1(2), model, ema, 0.999,
            new SecondStageLosses(PixelWeight: 100, TuneDecoder: true, FreezeUNet: true, PixelMse: true)), 1e-4);
    }

    [Fact]
    public void A_deterministic_path_fine_tune_without_KD_needs_no_stage_1_and_trains_CondNet_and_decoder()
    {
        var (model, ema) = SecondStage(SecondStageKind.E2DiffSR);
        var objective = new E2DiffSRObjective(null, model, ema, 0.999,
            new SecondStageLosses(KdWeight: 0, PixelWeight: 100, TuneDecoder: true, FreezeUNet: true, PixelMse: true));
        var (_, terms) = objective.Loss(FixedBatch(), new Generator().manual_seed(5));
        Assert.Equal(["pixel"], terms.Keys.ToArray());
        AssertOneStepLowersLoss(objective, 1e-4);
    }

    [Fact]
    public void Losses_that_need_the_stage_1_targets_or_train_nothing_are_refused()
    {
        var (model, ema) = SecondStage(SecondStageKind.E2DiffSR);
        var noStage1 = Assert.Throws<ArgumentException>(() =>
            new E2DiffSRObjective(null, model, ema, 0.999, new SecondStageLosses(PixelWeight: 1, FreezeUNet: true)));
        Assert.Contains("stage-1 weights", noStage1.Message);
        var nothing = Assert.Throws<ArgumentException>(() =>
            new E2DiffSRObjective(Stage1(2), model, ema, 0.999, new SecondStageLosses(KdWeight: 0, FreezeUNet: true)));
        Assert.Contains("pixel weight", nothing.Message);
    }

    [Fact]
    public void Tuning_the_decoder_without_a_pixel_weight_is_refused()
    {
        var (model, ema) = SecondStage(SecondStageKind.E2DiffSR);
        var error = Assert.Throws<ArgumentException>(() =>
            new E2DiffSRObjective(Stage1(2), model, ema, 0.999, new SecondStageLosses(TuneDecoder: true)));
        Assert.Contains("pixel weight", error.Message);
    }

    [Fact]
    public void Ema_warms_up_then_tracks_slowly()
    {
        var source = nn.Linear(2, 2);
        var shadow = nn.Linear(2, 2);
        var ema = new Ema(source, shadow, 0.999);
        ema.CopyFromSource();
        Assert.Equal(0.1, ema.Update(), 6);       // (1+0)/(10+0)
        for (var i = 0; i < 10000; i++) ema.Update();
        Assert.Equal(0.999, ema.Update(), 6);
    }

    [Fact]
    public void Consistency_boundary_condition_holds()
    {
        Assert.Equal(1.0, ConsistencyParameterization.CSkip(0, 1000));
        Assert.Equal(0.0, ConsistencyParameterization.COut(0, 1000));
        Assert.Equal(0.0385, ConsistencyParameterization.CSkip(250, 1000), 4);
        Assert.Equal(0.981, ConsistencyParameterization.COut(250, 1000), 3);
        Assert.Equal(0.0025, ConsistencyParameterization.CSkip(999, 1000), 4);
    }

    [Fact]
    public void The_T4_schedule_matches_the_spec_table()
    {
        var s = new DiffusionSchedule(4, 0.1, 0.99);
        double[] alphaBar = [0.9, 0.6351, 0.2598, 0.0026];
        double[] variance = [0, 0.0807, 0.2913, 0.7347];
        double[] coefX0 = [1, 0.7652, 0.6363, 0.5059];
        double[] coefXt = [0, 0.2302, 0.3153, 0.0742];
        for (var t = 0; t < 4; t++)
        {
            Assert.Equal(alphaBar[t], s.AlphasCumprod[t], 3);
            Assert.Equal(variance[t], s.PosteriorVariance[t], 3);
            Assert.Equal(coefX0[t], s.PosteriorCoefX0[t], 3);
            Assert.Equal(coefXt[t], s.PosteriorCoefXt[t], 3);
        }
    }
}

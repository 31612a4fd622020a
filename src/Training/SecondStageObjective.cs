using Pipeline.Models.Diffusion;
using Pipeline.Models.Geometry;
using Pipeline.Models.Layers;
using Pipeline.Models.Stage1;
using Pipeline.Models.Stage2;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Training;

/// <summary>
/// What E²DiffSR and LCMSR training share: a frozen stage-1 autoencoder gives the target x₀ = scale_factor·z
/// (a posterior sample, as in the reference); the trainable CondNet maps bicubic↑LR to c (KD loss MSE(c, x₀));
/// the trainable UNet has an EMA copy used for sampling and exported.
/// </summary>
public abstract class SecondStageObjective : ITrainingObjective
{
    protected SecondStageObjective(DifferentialAutoencoder? stage1, SrModel model, LatentUNet emaUNet, double emaDecay, SecondStageLosses losses)
    {
        Stage1 = stage1;
        Model = model;
        EmaUNet = emaUNet;
        Losses = losses.Validated();
        var decoderParameters = model.Decoder.parameters().Concat(model.PostQuantConv.parameters()).ToList();
        if (stage1 is not null)
        {
            foreach (var p in stage1.parameters()) p.requires_grad_(false);
            stage1.eval();
        }
        else if (!Losses.FreezeUNet || Losses.KdWeight > 0)
            throw new ArgumentException("stage 2 / LCMSR training needs the stage-1 weights (only a deterministic-path fine-tune, --freeze-unet --kd-weight 0, does without)");
        foreach (var p in decoderParameters) p.requires_grad_(losses.TuneDecoder);
        foreach (var p in emaUNet.parameters()) p.requires_grad_(false);
        emaUNet.eval();
        if (losses.FreezeUNet) foreach (var p in model.UNet.parameters()) p.requires_grad_(false);
        Parameters = model.CondNet.parameters()
            .Concat(losses.FreezeUNet ? [] : model.UNet.parameters())
            .Concat(losses.TuneDecoder ? decoderParameters : []).ToList();
        Ema = new Ema(model.UNet, emaUNet, emaDecay);
    }

    /// <summary>The frozen stage-1 autoencoder that makes the targets; null in a deterministic-path fine-tune that needs none.</summary>
    public DifferentialAutoencoder? Stage1 { get; }
    public SrModel Model { get; }
    public LatentUNet EmaUNet { get; }
    public Ema Ema { get; }
    public SecondStageLosses Losses { get; }

    public nn.Module Trainable => Model;

    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>x₀ = scale_factor · z, z a posterior sample of the frozen stage-1 encoder.</summary>
    protected Tensor TargetLatent(TrainingBatch batch, Generator generator)
    {
        using var _ = no_grad();
        return Stage1!.Encode(batch.Hr, batch.Lr, batch.Geometry).Sample(generator) * Model.ScaleFactor;
    }

    protected Tensor Condition(TrainingBatch batch)
    {
        var lrUp = Resampler.Resize(batch.Lr, batch.Geometry.LrToHrY, batch.Geometry.LrToHrX, ResampleKernel.Bicubic);
        return Model.CondNet.call(lrUp);
    }

    /// <summary>The HR image the inference path decodes from a scaled latent.</summary>
    protected Tensor Decode(Tensor latent, TrainingBatch batch) =>
        Model.Decoder.forward(Model.PostQuantConv.call(latent / Model.ScaleFactor), batch.Lr, batch.Geometry);

    /// <summary>KD (the CondNet's c against x₀), the sampler's own loss unless the UNet is frozen, and the optional
    /// pixel loss of the deterministic path, L1 (or MSE) of decode(c) against HR, which trains the CondNet and, when tuned, the decoder.</summary>
    public (Tensor Loss, IReadOnlyDictionary<string, double> Terms) Loss(TrainingBatch batch, Generator generator)
    {
        using var scope = NewDisposeScope();
        var c = Condition(batch);
        var terms = new Dictionary<string, double>();
        var loss = zeros([], device: c.device);
        // With the UNet frozen and no KD term, nothing needs the stage-1 target: skip its HR-resolution encoder.
        if (!Losses.FreezeUNet || Losses.KdWeight > 0)
        {
            var x0 = TargetLatent(batch, generator);
            if (!Losses.FreezeUNet) loss = SamplerLoss(x0, c, batch, generator, terms);
            var kd = Mse(c, x0);
            terms["kd"] = kd.item<float>();
            loss = loss + kd * Losses.KdWeight;
        }
        if (Losses.PixelWeight > 0)
        {
            var decoded = Decode(c, batch);
            var pixel = Losses.PixelMse ? mse_loss(decoded, batch.Hr) : l1_loss(decoded, batch.Hr);
            terms["pixel"] = pixel.item<float>();
            loss = loss + pixel * Losses.PixelWeight;
        }
        return (loss.MoveToOuterDisposeScope(), terms);
    }

    /// <summary>The stage's own loss on the UNet (and, through the conditioning, the CondNet); adds its terms.</summary>
    protected abstract Tensor SamplerLoss(Tensor x0, Tensor c, TrainingBatch batch, Generator generator, Dictionary<string, double> terms);

    protected UNetConditioning Conditioning(Tensor c, TrainingBatch batch)
    {
        var b = c.shape[0];
        return new UNetConditioning(c,
            full([b], (float)batch.Geometry.Scale, device: c.device),
            full([b], (float)Model.Config.OsizeConstant, device: c.device));
    }

    public void AfterStep() => Ema.Update();

    /// <summary>1 / std of stage-1 latents over some batches (LDM's scale_by_std, on real HR/LR pairs).</summary>
    public static double MeasureScaleFactor(DifferentialAutoencoder stage1, IEnumerable<TrainingBatch> batches, Generator generator)
    {
        using var _ = no_grad();
        double sum = 0, sumSq = 0;
        long n = 0;
        foreach (var batch in batches)
        {
            using var scope = NewDisposeScope();
            var z = stage1.Encode(batch.Hr, batch.Lr, batch.Geometry).Sample(generator).to_type(ScalarType.Float64);
            sum += z.sum().item<double>();
            sumSq += z.pow(2).sum().item<double>();
            n += z.numel();
        }
        var variance = sumSq / n - Math.Pow(sum / n, 2);
        return variance > 0 ? 1.0 / Math.Sqrt(variance) : 1.0;
    }

    protected static Tensor Mse(Tensor a, Tensor b) => mse_loss(a, b);

    public void Dispose()
    {
        Stage1?.Dispose();
        Model.Dispose();
        EmaUNet.Dispose();
    }
}

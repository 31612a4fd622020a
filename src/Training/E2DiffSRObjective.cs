using Pipeline.Models.Diffusion;
using Pipeline.Models.Layers;
using Pipeline.Models.Stage1;
using Pipeline.Models.Stage2;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Training;

/// <summary>
/// E²DiffSR stage 2 (docs/models.md §1.3): x_{T−1} = q(x₀, T−1, ε); all T ancestral steps are run with gradients
/// (ε-prediction, posterior noise from the generator); loss = MSE(x̂₀_final, x₀) + kd·MSE(c, x₀).
/// </summary>
public sealed class E2DiffSRObjective(DifferentialAutoencoder? stage1, SrModel model, LatentUNet emaUNet, double emaDecay, SecondStageLosses? losses = null)
    : SecondStageObjective(stage1, model, emaUNet, emaDecay, losses ?? new())
{
    readonly DiffusionSchedule schedule = new(model.Config.DiffusionSteps, model.Config.BetaStart, model.Config.BetaEnd);

    protected override Tensor SamplerLoss(Tensor x0, Tensor c, TrainingBatch batch, Generator generator, Dictionary<string, double> terms)
    {
        var b = (int)x0.shape[0];
        var last = schedule.Steps - 1;
        var xStart = LatentSamplers.QSample(schedule, x0, Enumerable.Repeat(last, b).ToArray(), randn(x0.shape, generator: generator, device: x0.device));
        var final = LatentSamplers.AncestralE2DiffSR(Model.UNet, schedule, xStart, Conditioning(c, batch),
            _ => randn(x0.shape, generator: generator, device: x0.device));
        var diffusion = Mse(final, x0);
        terms["diffusion"] = diffusion.item<float>();
        return diffusion;
    }
}

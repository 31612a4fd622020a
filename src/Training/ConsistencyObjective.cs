using Pipeline.Models.Diffusion;
using Pipeline.Models.Layers;
using Pipeline.Models.Stage1;
using Pipeline.Models.Stage2;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Training;

/// <summary>
/// LCMSR consistency training (docs/models.md §3): t₂ ~ U{0..T−1}, t₁ = max(t₂ − gap, 0), the same ε for both;
/// loss = MSE(f_θ(x_{t₂}, t₂), stopgrad f_EMA(x_{t₁}, t₁)) + kd·MSE(c, x₀), with the online CondNet's c (detached)
/// conditioning the EMA target. The x₀-MSE of the online prediction is logged only.
/// </summary>
public sealed class ConsistencyObjective(DifferentialAutoencoder? stage1, SrModel model, LatentUNet emaUNet, double emaDecay, SecondStageLosses? losses = null)
    : SecondStageObjective(stage1, model, emaUNet, emaDecay, losses ?? new())
{
    readonly DiffusionSchedule schedule = new(model.Config.ConsistencySteps, model.Config.ConsistencyBetaStart, model.Config.ConsistencyBetaEnd);

    protected override Tensor SamplerLoss(Tensor x0, Tensor c, TrainingBatch batch, Generator generator, Dictionary<string, double> terms)
    {
        var b = (int)x0.shape[0];
        var draws = randint(0, schedule.Steps, [b], device: x0.device, generator: generator).cpu().data<long>().ToArray();
        var t2 = draws.Select(t => (int)t).ToArray();
        var t1 = t2.Select(t => Math.Max(t - Model.Config.ConsistencyGap, 0)).ToArray();
        var eps = randn(x0.shape, generator: generator, device: x0.device);
        var x2 = LatentSamplers.QSample(schedule, x0, t2, eps);
        var x1 = LatentSamplers.QSample(schedule, x0, t1, eps);
        var prediction = LatentSamplers.ConsistencyFunction(Model.UNet, schedule.Steps, x2, t2, Conditioning(c, batch));
        Tensor target;
        using (no_grad())
            target = LatentSamplers.ConsistencyFunction(EmaUNet, schedule.Steps, x1, t1, Conditioning(c.detach(), batch));
        var consistency = Mse(prediction, target);
        terms["consistency"] = consistency.item<float>();
        terms["x0_mse"] = Mse(prediction.detach(), x0).item<float>();
        return consistency;
    }
}

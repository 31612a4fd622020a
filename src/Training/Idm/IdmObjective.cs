using Pipeline.Models.Idm;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Training.Idm;

/// <summary>
/// IDM's training loss (model/sr3_modules/diffusion.py p_losses): t ~ U{1 … T}, a continuous noise level
/// γ ~ U(√ᾱ_t, √ᾱ_{t−1}) (ᾱ₀ = 1), x_t = γ·x₀ + √(1 − γ²)·ε, and the L1 distance between ε and the UNet's
/// prediction from (x_t, condition image, normalised scale, γ). The reference draws one t per batch and sums the
/// L1; here each sample draws its own t and the L1 is a mean (the same minimiser, a steadier gradient for Adam).
/// </summary>
public static class IdmObjective
{
    public static (Tensor Loss, IReadOnlyDictionary<string, double> Terms) Loss(IdmModel model, TrainingBatch batch, Generator generator)
    {
        using var scope = NewDisposeScope();
        var b = batch.Hr.shape[0];
        var device = batch.Hr.device;
        var condition = model.Encoder.forward(batch.Lr, batch.Geometry);
        var x0 = model.Target(batch.Hr, model.Base(batch.Lr, batch.Geometry));
        var steps = randint(1, model.Config.DiffusionSteps + 1, [b], generator: generator).data<long>().ToArray();
        var uniforms = rand([b], generator: generator).data<float>().ToArray();
        var gammas = new float[b];
        for (var i = 0; i < b; i++)
        {
            var t = (int)steps[i];
            var upper = t == 1 ? 1.0 : Math.Sqrt(model.AlphasCumprod[t - 2]);
            var lower = Math.Sqrt(model.AlphasCumprod[t - 1]);
            gammas[i] = (float)(lower + (upper - lower) * uniforms[i]);
        }
        var gamma = tensor(gammas, device: device);
        var noise = randn(x0.shape, generator: generator, device: device);
        var g = gamma.reshape(-1, 1, 1, 1);
        var noisy = g * x0 + (1 - g.square()).sqrt() * noise;
        var predicted = model.UNet.forward(noisy, condition, model.NormalisedScales(b, batch.Geometry.Scale, device), gamma);
        var loss = l1_loss(predicted, noise);
        var terms = new Dictionary<string, double> { ["l1_eps"] = loss.item<float>() };
        return (loss.MoveToOuterDisposeScope(), terms);
    }

    /// <summary>1 / std of (HR − bicubic LR) over some batches: the residual target's scale.</summary>
    public static double MeasureTargetScale(IdmModel model, IEnumerable<TrainingBatch> batches)
    {
        using var scope = NewDisposeScope();
        using var mode = no_grad();
        var residuals = batches.Select(batch => (batch.Hr - model.Base(batch.Lr, batch.Geometry)).flatten()).ToList();
        return 1.0 / cat(residuals).std().item<float>();
    }
}

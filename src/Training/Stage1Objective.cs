using Pipeline.Models.Stage1;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Training;

/// <summary>
/// Stage-1 loss without the perceptual/GAN terms (docs/models.md §5.2): mean |x − x̂| + (klWeight / (3·H·W))·KL_sum,
/// the KL summed per sample and averaged over the batch, the decoder fed a reparameterised posterior sample. This
/// is the reference's per-pixel-mean form of L1 + 1e-6·KL; LPIPS and the PatchGAN need pretrained VGG weights that
/// are not available here.
/// </summary>
public sealed class Stage1Objective(DifferentialAutoencoder model, double klWeight = 1e-6) : ITrainingObjective
{
    public DifferentialAutoencoder Model { get; } = model;

    public nn.Module Trainable => Model;

    public IReadOnlyList<Parameter> Parameters { get; } = model.parameters().ToList();

    public (Tensor Loss, IReadOnlyDictionary<string, double> Terms) Loss(TrainingBatch batch, Generator generator)
    {
        using var scope = NewDisposeScope();
        var posterior = Model.Encode(batch.Hr, batch.Lr, batch.Geometry);
        var reconstruction = Model.Decode(posterior.Sample(generator), batch.Lr, batch.Geometry);
        var l1 = l1_loss(reconstruction, batch.Hr);
        var kl = posterior.Kl().mean();
        var pixels = 3.0 * batch.Hr.shape[2] * batch.Hr.shape[3];
        var loss = l1 + kl * (klWeight / pixels);
        var terms = new Dictionary<string, double> { ["l1"] = l1.item<float>(), ["kl"] = kl.item<float>() };
        return (loss.MoveToOuterDisposeScope(), terms);
    }

    public void AfterStep()
    {
    }

    public void Dispose() => Model.Dispose();
}

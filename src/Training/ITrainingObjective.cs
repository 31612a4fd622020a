using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Training;

/// <summary>One stage's loss over a batch. All randomness (posterior samples, diffusion noise, timesteps) comes from
/// the generator, so the same batch and generator seed give the same loss.</summary>
public interface ITrainingObjective : IDisposable
{
    /// <summary>The module whose parameters are optimised (saved as the checkpoint's trainable weights).</summary>
    nn.Module Trainable { get; }

    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Total loss (scalar, with gradients) and its named terms.</summary>
    (Tensor Loss, IReadOnlyDictionary<string, double> Terms) Loss(TrainingBatch batch, Generator generator);

    /// <summary>Called after each optimiser step (EMA update).</summary>
    void AfterStep();
}

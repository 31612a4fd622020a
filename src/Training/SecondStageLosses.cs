using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Training;

/// <summary>Loss weights of a second-stage run: the spec's KD term, and the optional pixel and decoder terms
/// (<see cref="TrainingOptions.PixelWeight"/>, <see cref="TrainingOptions.PixelMse"/>, <see cref="TrainingOptions.TuneDecoder"/>).</summary>
public sealed record SecondStageLosses(double KdWeight = 1.0, double PixelWeight = 0, bool TuneDecoder = false, bool FreezeUNet = false, bool PixelMse = false)
{
    public SecondStageLosses Validated() =>
        TuneDecoder && !(PixelWeight > 0) ? throw new ArgumentException("tuning the decoder needs a pixel weight above 0 (its only loss term is the pixel loss)")
        : KdWeight < 0 ? throw new ArgumentException("the KD weight must be 0 or more")
        : FreezeUNet && KdWeight == 0 && !(PixelWeight > 0) ? throw new ArgumentException("with the UNet frozen and no KD term a pixel weight above 0 is needed (nothing else trains)")
        : this;
}

using static TorchSharp.torch;

namespace Pipeline.Models.Idm;

/// <summary>What one decoder level mixes by: s₁, s₂ [B, C] and the LR branch's shift [B, C, h, w].</summary>
public sealed record LevelConditioning(Tensor Scale1, Tensor Scale2, Tensor Shift);

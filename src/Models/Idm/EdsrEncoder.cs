using Pipeline.Models.Geometry;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static TorchSharp.torch.nn.functional;

namespace Pipeline.Models.Idm;

/// <summary>
/// IDM's LR encoder: EDSR-baseline (head conv, ResBlocks of conv–ReLU–conv, a body conv and a global skip; no mean
/// shift, no batch norm), its features resized nearest onto the HR grid, then a 3×3 conv to the 3-channel condition
/// image. The resize runs in global coordinates (<see cref="TileGeometry"/>), so a tile's condition image is the
/// crop of the scene's.
/// </summary>
public sealed class EdsrEncoder : nn.Module
{
    readonly Conv2d head;
    readonly ModuleList<Sequential> body;
    readonly Conv2d body_out;
    readonly Conv2d tail;

    public EdsrEncoder(int blocks, int channels) : base(nameof(EdsrEncoder))
    {
        head = Conv2d(3, channels, 3, padding: 1);
        body = new ModuleList<Sequential>();
        for (var i = 0; i < blocks; i++)
            body.Add(Sequential(Conv2d(channels, channels, 3, padding: 1), ReLU(), Conv2d(channels, channels, 3, padding: 1)));
        body_out = Conv2d(channels, channels, 3, padding: 1);
        tail = Conv2d(channels, 3, 3, padding: 1);
        RegisterComponents();
    }

    /// <param name="lr">[B, 3, h, w] in [-1, 1].</param>
    /// <returns>The condition image [B, 3, H, W] on the geometry's HR grid.</returns>
    public Tensor forward(Tensor lr, TileGeometry geometry)
    {
        using var scope = NewDisposeScope();
        var x = head.call(lr);
        var h = x;
        foreach (var block in body) h = h + block.call(h);
        var features = body_out.call(h) + x;
        var up = Resampler.Resize(features, geometry.LrToHrY, geometry.LrToHrX, ResampleKernel.Nearest);
        return tail.call(up).MoveToOuterDisposeScope();
    }
}

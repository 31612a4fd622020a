namespace Pipeline.Models.Geometry;

/// <summary>
/// How output pixel <c>i</c> of one axis maps into an input grid, in global coordinates with the pixel-centre
/// (align_corners = false) convention: source = (OutOrigin + i + 0.5) / Scale − 0.5 − InOrigin, where
/// <see cref="Scale"/> is output pixels per input pixel and the origins are the global indices of the first
/// input and output pixel. For a whole image (origins 0, Scale = out/in) this is exactly PyTorch's
/// <c>interpolate(..., align_corners=False)</c> mapping; for a tile it is the crop of the whole-scene mapping.
/// </summary>
public readonly record struct AxisMap(int InSize, int OutSize, double Scale, double InOrigin, double OutOrigin)
{
    public double Source(int i) => (OutOrigin + i + 0.5) / Scale - 0.5 - InOrigin;
}

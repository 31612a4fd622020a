namespace Pipeline.Models.Geometry;

/// <summary>
/// Where an LR tile and the HR grid the model works on sit in the scene. HR pixel X maps to LR coordinate
/// (X + 0.5) / ScaleX − 0.5 (the <see cref="Pipeline.Imaging.ITileUpscaler"/> convention). The latent grid is
/// HR / <see cref="LatentFactor"/>: latent cell k covers HR pixels [f·k, f·k + f), so the HR origin must be a
/// multiple of f for the tile's latent grid to be a crop of the scene-wide one.
/// </summary>
public sealed record TileGeometry(
    double ScaleX, double ScaleY,
    int LrX, int LrY, int LrWidth, int LrHeight,
    int HrX, int HrY, int HrWidth, int HrHeight,
    int LatentFactor = 8)
{
    /// <summary>A whole image (or training crop): origins 0, scale = HR size / LR size per axis.</summary>
    public static TileGeometry Whole(int lrWidth, int lrHeight, int hrWidth, int hrHeight, int latentFactor = 8) =>
        new((double)hrWidth / lrWidth, (double)hrHeight / lrHeight, 0, 0, lrWidth, lrHeight, 0, 0, hrWidth, hrHeight, latentFactor);

    /// <summary>The scalar scale the networks are conditioned on: H_out / H_lr, as in the reference.</summary>
    public double Scale => ScaleY;

    public int LatentX => HrX / LatentFactor;
    public int LatentY => HrY / LatentFactor;
    /// <summary>Latent cells fully inside the HR grid (the encoders give floor(n / f)); tiles use HR sizes that are
    /// multiples of f, where this is exact.</summary>
    public int LatentWidth => HrWidth / LatentFactor;
    public int LatentHeight => HrHeight / LatentFactor;

    public AxisMap LrToHrX => new(LrWidth, HrWidth, ScaleX, LrX, HrX);
    public AxisMap LrToHrY => new(LrHeight, HrHeight, ScaleY, LrY, HrY);

    /// <summary>Level l of a ×2ˡ feature pyramid built on the LR tile, resampled onto the HR grid.</summary>
    public AxisMap PyramidToHrX(int level) =>
        new(LrWidth << level, HrWidth, ScaleX / (1 << level), (double)LrX * (1 << level), HrX);

    public AxisMap PyramidToHrY(int level) =>
        new(LrHeight << level, HrHeight, ScaleY / (1 << level), (double)LrY * (1 << level), HrY);

    /// <summary>Latent grid onto the LR grid (latent cell = f HR pixels = f / scale LR pixels).</summary>
    public AxisMap LatentToLrX(int latentWidth) => new(latentWidth, LrWidth, LatentFactor / ScaleX, LatentX, LrX);
    public AxisMap LatentToLrY(int latentHeight) => new(latentHeight, LrHeight, LatentFactor / ScaleY, LatentY, LrY);

    /// <summary>The same tile with its HR grid grown (right and bottom) to multiples of the latent factor.</summary>
    public TileGeometry AlignedToLatent() => this with
    {
        HrWidth = (HrWidth + LatentFactor - 1) / LatentFactor * LatentFactor,
        HrHeight = (HrHeight + LatentFactor - 1) / LatentFactor * LatentFactor,
    };

    public void Validate()
    {
        if (!(ScaleX >= 1e-6) || !(ScaleY >= 1e-6)) throw new ArgumentOutOfRangeException(nameof(ScaleX), "scale must be positive");
        if (LrWidth <= 0 || LrHeight <= 0 || HrWidth <= 0 || HrHeight <= 0) throw new ArgumentException($"empty tile geometry {this}");
        if (HrX % LatentFactor != 0 || HrY % LatentFactor != 0)
            throw new ArgumentException($"HR origin ({HrX},{HrY}) must be a multiple of {LatentFactor}");
    }
}

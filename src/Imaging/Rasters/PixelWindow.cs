namespace Pipeline.Imaging.Rasters;

/// <summary>A rectangle of pixels: column <see cref="X"/>, row <see cref="Y"/>, size <see cref="Width"/> × <see cref="Height"/>.</summary>
public readonly record struct PixelWindow(int X, int Y, int Width, int Height)
{
    public int Right => X + Width;
    public int Bottom => Y + Height;
    public long Area => (long)Width * Height;
    public bool IsEmpty => Width <= 0 || Height <= 0;

    public PixelWindow Intersect(PixelWindow other)
    {
        var x = Math.Max(X, other.X);
        var y = Math.Max(Y, other.Y);
        var r = Math.Min(Right, other.Right);
        var b = Math.Min(Bottom, other.Bottom);
        return r <= x || b <= y ? default : new PixelWindow(x, y, r - x, b - y);
    }

    public bool Contains(PixelWindow other) =>
        other.X >= X && other.Y >= Y && other.Right <= Right && other.Bottom <= Bottom;

    public override string ToString() => $"[{X},{Y} {Width}x{Height}]";
}

using SkiaSharp;

namespace Pipeline.Training;

/// <summary>An 8-bit RGB image in planar layout (sample (c, y, x) at (c·H + y)·W + x).</summary>
public sealed record RgbImage(int Width, int Height, byte[] Data, string Name)
{
    public static RgbImage Decode(string path)
    {
        using var bitmap = SKBitmap.Decode(path) ?? throw new InvalidDataException($"{path}: not a decodable image");
        var (w, h) = (bitmap.Width, bitmap.Height);
        using var rgba = bitmap.Copy(SKColorType.Rgba8888) ?? throw new InvalidDataException($"{path}: cannot convert to RGBA");
        var pixels = rgba.GetPixelSpan();
        var data = new byte[3 * w * h];
        var plane = w * h;
        for (var i = 0; i < plane; i++)
        {
            data[i] = pixels[4 * i];
            data[plane + i] = pixels[4 * i + 1];
            data[2 * plane + i] = pixels[4 * i + 2];
        }
        return new RgbImage(w, h, data, Path.GetFileName(path));
    }

    /// <summary>Writes a PNG (for inspection of evaluation outputs).</summary>
    public void SavePng(string path)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var pixels = new byte[4 * Width * Height];
        var plane = Width * Height;
        for (var i = 0; i < plane; i++)
        {
            pixels[4 * i] = Data[i];
            pixels[4 * i + 1] = Data[plane + i];
            pixels[4 * i + 2] = Data[2 * plane + i];
            pixels[4 * i + 3] = 255;
        }
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var image = SKImage.FromBitmap(bitmap);
        using var encoded = image.Encode(SKEncodedImageFormat.Png, 100);
        using var stream = File.Create(path);
        encoded.SaveTo(stream);
    }

    public RgbImage Crop(int x, int y, int w, int h)
    {
        var data = new byte[3 * w * h];
        for (var c = 0; c < 3; c++)
            for (var row = 0; row < h; row++)
                Array.Copy(Data, (c * Height + y + row) * Width + x, data, (c * h + row) * w, w);
        return new RgbImage(w, h, data, Name);
    }
}

/// <summary>The PNG/JPEG images of a folder (sorted by name, optionally the first N), decoded into memory.</summary>
public static class ImageFolder
{
    static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"];

    public static IReadOnlyList<string> List(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Order(StringComparer.Ordinal)
                .ToList()
            : throw new DirectoryNotFoundException($"image folder not found: {folder}");

    public static IReadOnlyList<RgbImage> Load(string folder, int maxImages = int.MaxValue, int minSize = 1)
    {
        var files = List(folder).Take(maxImages).ToList();
        var images = new RgbImage[files.Count];
        Parallel.For(0, files.Count, i => images[i] = RgbImage.Decode(files[i]));
        var usable = images.Where(im => im.Width >= minSize && im.Height >= minSize).ToList();
        if (usable.Count == 0) throw new InvalidDataException($"no usable images (PNG/JPEG, at least {minSize} px) in {folder}");
        return usable;
    }
}

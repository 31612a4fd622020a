using System.Buffers.Binary;
using System.IO.Compression;
using Pipeline.Grains.Writing;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Grains.Tests;

public sealed class MosaicPreviewTests
{
    /// <summary>Width, height and RGBA rows of a PNG written by <see cref="PngImage"/> (filter 0 rows).</summary>
    static (int Width, int Height, byte[] Rgba) Decode(byte[] png)
    {
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        var (width, height) = (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        var idat = png.AsSpan(33);
        var length = BinaryPrimitives.ReadInt32BigEndian(idat);
        Assert.Equal("IDAT"u8.ToArray(), idat.Slice(4, 4).ToArray());
        using var zlib = new ZLibStream(new MemoryStream(idat.Slice(8, length).ToArray()), CompressionMode.Decompress);
        var rows = new MemoryStream();
        zlib.CopyTo(rows);
        var raw = rows.ToArray();
        var rgba = new byte[width * height * 4];
        for (var y = 0; y < height; y++) raw.AsSpan(y * (width * 4 + 1) + 1, width * 4).CopyTo(rgba.AsSpan(y * width * 4));
        return (width, height, rgba);
    }

    [Fact]
    public void The_thumbnail_fits_256_pixels_shows_written_blocks_and_leaves_the_rest_transparent()
    {
        var preview = new MosaicPreview(1000, 600, 4); // 4 px of output per thumbnail pixel: 250 × 150
        var block = new RasterBlock(new PixelWindow(0, 0, 512, 512), 4);
        for (var i = 0; i < 512 * 512; i++)
        {
            block.Band(0)[i] = i % 512;        // red ramps left to right
            block.Band(1)[i] = 100;
            block.Band(2)[i] = float.NaN;      // never counted
        }
        preview.Add(block, firstBand: 0);

        var (width, height, rgba) = Decode(preview.ToPng());

        Assert.Equal((250, 150), (width, height));
        byte Pixel(int x, int y, int channel) => rgba[(y * width + x) * 4 + channel];
        Assert.Equal(255, Pixel(10, 10, 3));                 // written: opaque
        Assert.Equal(0, Pixel(200, 10, 3));                  // right of the block: not written yet
        Assert.Equal(0, Pixel(10, 140, 3));                  // below it
        Assert.True(Pixel(120, 10, 0) > Pixel(5, 10, 0));    // the ramp survives the stretch
    }

    [Fact]
    public void Band_groups_of_a_hyperspectral_mosaic_fill_the_grey_preview_from_band_one()
    {
        var preview = new MosaicPreview(300, 300, 2);
        var group = new RasterBlock(new PixelWindow(0, 0, 300, 300), 1);
        Array.Fill(group.Data, 7f);

        preview.Add(group, firstBand: 1); // band 2 only: the grey preview shows band 1
        Assert.All(Decode(preview.ToPng()).Rgba.Chunk(4), p => Assert.Equal(0, p[3]));
        preview.Add(group, firstBand: 0);
        Assert.All(Decode(preview.ToPng()).Rgba.Chunk(4), p => Assert.Equal(255, p[3]));
    }

    [Fact]
    public void A_piece_reduced_for_the_overviews_fills_the_thumbnail_pixels_its_full_resolution_would()
    {
        // 600 px of output: 3 px per thumbnail pixel, fewer than the 4 each pixel of a level-2 piece covers.
        var full = new MosaicPreview(600, 600, 1);
        var reduced = new MosaicPreview(600, 600, 1);
        var block = new RasterBlock(new PixelWindow(0, 0, 512, 512), 1);
        Array.Fill(block.Data, 5f);
        var quarter = new RasterBlock(new PixelWindow(0, 0, 128, 128), 1);
        Array.Fill(quarter.Data, 5f);

        full.Add(block, firstBand: 0);
        reduced.Add(quarter, firstBand: 0, pixelSize: 4);

        var (fullAlpha, reducedAlpha) = (Decode(full.ToPng()).Rgba.Chunk(4).Select(p => p[3]), Decode(reduced.ToPng()).Rgba.Chunk(4).Select(p => p[3]));
        Assert.Equal(fullAlpha, reducedAlpha);
        Assert.Contains((byte)255, reducedAlpha);
        Assert.Contains((byte)0, reducedAlpha);
    }
}

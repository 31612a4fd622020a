using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.Tests.GeoTiff;

/// <summary>Scenes of more than <see cref="BandLayout.MaxPixelInterleavedBands"/> bands (hyperspectral) are written
/// band-interleaved, so they can arrive a band group at a time.</summary>
public sealed class BandInterleavedWriterTests : IDisposable
{
    readonly ScratchFolder scratch = new();

    public void Dispose() => scratch.Dispose();

    static RasterBlock Pattern(PixelWindow window, int bands)
    {
        var block = new RasterBlock(window, bands);
        for (var band = 0; band < bands; band++)
        {
            var plane = block.Band(band);
            for (var y = 0; y < window.Height; y++)
                for (var x = 0; x < window.Width; x++)
                    plane[y * window.Width + x] = (window.X + x) * 7 + (window.Y + y) * 3 + band * 101 % 4093;
        }
        return block;
    }

    [Theory]
    [InlineData(16, "PIXEL")]
    [InlineData(17, "BAND")]
    [InlineData(200, "BAND")]
    public void The_layout_follows_the_band_count_and_gdal_reads_every_band_and_overview(int bands, string interleave)
    {
        var info = new RasterInfo { Width = 300, Height = 280, Bands = bands, SampleType = RasterSampleType.UInt16 };
        var path = scratch.File($"bands{bands}.tif");
        var image = Pattern(new PixelWindow(0, 0, 300, 280), bands);
        using (var writer = GeoTiffWriter.Create(path, info))
        {
            writer.Write(image);
            writer.Commit();
        }

        var gdal = Gdal.Info(path);
        Assert.Equal(interleave, gdal.GetProperty("metadata").GetProperty("IMAGE_STRUCTURE").GetProperty("INTERLEAVE").GetString());
        Assert.Equal(bands, gdal.GetProperty("bands").GetArrayLength());
        Assert.Equal(image.Data, Gdal.Decode(path, RasterSampleType.UInt16));
        // The 2× overview of the last band, decoded by GDAL, is the 2×2 average of the image.
        var overview = Gdal.Decode(path, RasterSampleType.UInt16, "-b", $"{bands}", "-ovr", "0");
        var last = image.Band(bands - 1);
        Assert.Equal(MathF.Floor((last[0] + last[1] + last[300] + last[301]) / 4 + 0.5f), overview[0]);
        Assert.Equal(150 * 140, overview.Length);
    }

    [Fact]
    public void Band_groups_of_whole_tiles_arrive_in_any_order_and_make_the_same_file_as_one_write()
    {
        var info = new RasterInfo { Width = 300, Height = 280, Bands = 40, SampleType = RasterSampleType.Float32 };
        var image = Pattern(new PixelWindow(0, 0, 300, 280), 40);
        var whole = scratch.File("whole.tif");
        using (var writer = GeoTiffWriter.Create(whole, info))
        {
            writer.Write(image);
            writer.Commit();
        }
        var pieces = scratch.File("pieces.tif");
        using (var writer = GeoTiffWriter.Create(pieces, info))
        {
            foreach (var (window, first, count) in new[]
                     {
                         (new PixelWindow(256, 0, 44, 280), 25, 15), (new PixelWindow(0, 0, 256, 256), 0, 25),
                         (new PixelWindow(0, 256, 256, 24), 0, 40), (new PixelWindow(256, 0, 44, 280), 0, 25),
                         (new PixelWindow(0, 0, 256, 256), 25, 15),
                     })
                writer.Write(Slice(image, window, first, count), first);
            writer.Commit();
        }

        Assert.Equal(image.Data, Gdal.Decode(pieces, RasterSampleType.Float32));
        using var a = GeoTiffReader.Open(whole);
        using var b = GeoTiffReader.Open(pieces);
        Assert.Equal(a.Read(new PixelWindow(0, 0, 300, 280)).Data, b.Read(new PixelWindow(0, 0, 300, 280)).Data);
    }

    [Fact]
    public void A_missing_band_group_stops_the_commit_and_bands_out_of_range_are_refused()
    {
        var info = new RasterInfo { Width = 256, Height = 256, Bands = 20, SampleType = RasterSampleType.Byte };
        var path = scratch.File("missing.tif");
        using var writer = GeoTiffWriter.Create(path, info);
        writer.Write(new RasterBlock(new PixelWindow(0, 0, 256, 256), 12), firstBand: 0);
        Assert.Throws<ArgumentException>(() => writer.Write(new RasterBlock(new PixelWindow(0, 0, 256, 256), 9), firstBand: 12));
        Assert.Throws<InvalidOperationException>(() => writer.Write(new RasterBlock(new PixelWindow(0, 0, 256, 256), 2), firstBand: 10));

        var error = Assert.Throws<InvalidOperationException>(() => writer.Commit());
        Assert.Contains("8 of 20 tiles were not written (first missing: column 0, row 0, band 13)", error.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_pixel_interleaved_output_takes_every_band_at_once()
    {
        var info = new RasterInfo { Width = 256, Height = 256, Bands = 4, SampleType = RasterSampleType.Byte };
        using var writer = GeoTiffWriter.Create(scratch.File("pixel.tif"), info);
        Assert.Throws<ArgumentException>(() => writer.Write(new RasterBlock(new PixelWindow(0, 0, 256, 256), 2), firstBand: 2));
    }

    static RasterBlock Slice(RasterBlock image, PixelWindow window, int firstBand, int count)
    {
        var slice = new RasterBlock(window, count);
        for (var band = 0; band < count; band++)
            for (var y = 0; y < window.Height; y++)
                image.Band(firstBand + band).Slice((window.Y + y) * image.Width + window.X, window.Width)
                    .CopyTo(slice.Band(band).Slice(y * window.Width, window.Width));
        return slice;
    }
}

using Pipeline.Grains.Jobs;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Grains.Tests;

/// <summary>Scenes unlike the usual GeoTIFF: hyperspectral (200+ bands, once refused as over the message limit, now
/// sent in band groups) and JPEG 2000 (read through GDAL by the job and the writer).</summary>
[Collection(PipelineClusterCollection.Name)]
public sealed class HyperspectralSceneTests(PipelineClusterFixture fixture) : IDisposable
{
    const int Bands = 200;
    readonly SceneFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public async Task A_200_band_scene_upscales_on_the_cluster_and_each_band_matches_that_band_upscaled_alone()
    {
        // 300×260 of real Landsat pixels, band b = Landsat band b mod 4 raised by 3b: ×2 gives 2×2 blocks of
        // 201 float32 planes, each cut into band groups to reach the writer, and tiles whose contributions go in row parts.
        var scene = files.File("hyperspectral.tif");
        RasterInfo info;
        RasterBlock landsat;
        using (var reader = GeoTiffReader.Open(SharedScenes.LandsatRgbnir))
        {
            landsat = reader.Read(new PixelWindow(0, 0, 300, 260));
            info = reader.Info with { Width = 300, Height = 260, Bands = Bands, GdalMetadataXml = null };
        }
        var cube = new RasterBlock(landsat.Window, Bands);
        for (var band = 0; band < Bands; band++)
        {
            var source = landsat.Band(band % 4);
            var target = cube.Band(band);
            for (var i = 0; i < target.Length; i++) target[i] = Math.Min(source[i] + 3 * band, ushort.MaxValue);
        }
        Write(scene, info, cube);

        var output = files.File("hyperspectral-x2.tif");
        var id = $"job-{Guid.NewGuid():N}";
        await fixture.Pipeline.Job(id).Submit(new SceneJobSpec(scene, output, 2, "bicubic"));
        JobAssertions.Completed(await fixture.Pipeline.WaitForEndAsync(id));

        using var result = GeoTiffReader.Open(output);
        Assert.Equal((600, 520, Bands), (result.Info.Width, result.Info.Height, result.Info.Bands));
        var upscaled = result.Read(new PixelWindow(0, 0, 600, 520));
        foreach (var band in new[] { 0, 101, 199 })
        {
            var single = files.File($"band{band}.tif");
            Write(single, info with { Bands = 1 }, new RasterBlock(cube.Window, 1, cube.Band(band).ToArray()));
            using var alone = GeoTiffReader.Open(SceneFiles.Reference(single, 2));
            Assert.True(alone.Read(new PixelWindow(0, 0, 600, 520)).Band(0).SequenceEqual(upscaled.Band(band)), $"band {band} differs");
        }
        Assert.Empty(files.Leftovers());
    }

    [Fact]
    public async Task A_jpeg2000_scene_read_through_gdal_upscales_on_the_cluster_as_its_tiff_does_in_process()
    {
        var jp2 = files.File("landsat8.jp2");
        using (var translate = System.Diagnostics.Process.Start("gdal_translate",
                   ["-q", "-of", "JP2OpenJPEG", "-co", "REVERSIBLE=YES", "-co", "QUALITY=100", SharedScenes.LandsatRgbnir, jp2])!)
            await translate.WaitForExitAsync();
        var output = files.File("landsat8-from-jp2-x2.tif");
        var id = $"job-{Guid.NewGuid():N}";

        await fixture.Pipeline.Job(id).Submit(new SceneJobSpec(jp2, output, 2, "bicubic"));
        JobAssertions.Completed(await fixture.Pipeline.WaitForEndAsync(id));

        // Same pixels and georeferencing; the GDAL_METADATA text is GDAL's rendering, not the TIFF's verbatim.
        using var expected = GeoTiffReader.Open(SceneFiles.Reference(SharedScenes.LandsatRgbnir, 2));
        using var actual = GeoTiffReader.Open(output);
        var all = new PixelWindow(0, 0, expected.Info.Width, expected.Info.Height);
        Assert.Equal(expected.Read(all).Data, actual.Read(all).Data);
        Assert.Equal(expected.Info.Geo!.GeoTransform, actual.Info.Geo!.GeoTransform);
        Assert.Equal(expected.Info.BandDescriptions, actual.Info.BandDescriptions);
    }

    static void Write(string path, RasterInfo info, RasterBlock pixels)
    {
        using var writer = GeoTiffWriter.Create(path, info);
        writer.Write(pixels);
        writer.Commit();
    }
}

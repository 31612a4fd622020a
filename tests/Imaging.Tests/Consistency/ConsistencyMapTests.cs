using Pipeline.Imaging.Consistency;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tests.GeoTiff;

namespace Pipeline.Imaging.Tests.Consistency;

/// <summary>The consistency map of a real georeferenced scene, as GDAL sees it: the input's CRS, the input's footprint,
/// a valid COG; a deliberately shifted output lights up where the scene has texture, and the flag band follows the
/// threshold.</summary>
public sealed class ConsistencyMapTests : IDisposable
{
    readonly ScratchFolder scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void The_map_overlays_the_input_and_passes_the_cog_validator()
    {
        var input = SharedScenes.LandsatRgbnir;
        var output = scratch.File("x2.tif");
        using (var reader = GeoTiffReader.Open(input))
        {
            var lr = reader.Read(new PixelWindow(0, 0, reader.Info.Width, reader.Info.Height));
            var hr = new BicubicUpscaler().Upscale(lr, 2, new PixelWindow(0, 0, 2 * reader.Info.Width, 2 * reader.Info.Height));
            // A one-LR-pixel shift of the output: inconsistent wherever the scene is not flat.
            var shifted = new RasterBlock(hr.Window, hr.Bands);
            for (var b = 0; b < hr.Bands; b++)
                for (var y = 0; y < hr.Height; y++)
                    for (var x = 0; x < hr.Width; x++) shifted[b, x, y] = hr[b, Math.Max(0, x - 2), y];
            using var writer = GeoTiffWriter.Create(output, reader.Info.ScaledBy(2));
            writer.Write(shifted);
            writer.Commit();
        }
        var (figures, map) = FileConsistency.Compare(input, output);
        Assert.Contains(figures.Flags, flag => flag.StartsWith("shift", StringComparison.Ordinal));
        var path = scratch.File("x2.consistency.tif");
        using (var reader = GeoTiffReader.Open(input)) map.Write(path, reader.Info, threshold: 1.0);

        CloudOptimizedTests.AssertValid(path);
        var mapInfo = Gdal.Info(path);
        var inputInfo = Gdal.Info(input);
        Assert.Equal(inputInfo.GetProperty("coordinateSystem").GetProperty("wkt").GetString(),
            mapInfo.GetProperty("coordinateSystem").GetProperty("wkt").GetString());
        Assert.Equal(inputInfo.GetProperty("geoTransform").ToString(), mapInfo.GetProperty("geoTransform").ToString());
        Assert.Equal(2, mapInfo.GetProperty("bands").GetArrayLength());

        var values = Gdal.Decode(path, RasterSampleType.Float32, "-b", "1");
        var flags = Gdal.Decode(path, RasterSampleType.Float32, "-b", "2");
        var measured = values.Where(float.IsFinite).ToArray();
        Assert.True(measured.Length > 0.9 * values.Length, $"{measured.Length} of {values.Length} cells measured");
        for (var i = 0; i < values.Length; i++)
            if (float.IsFinite(values[i])) Assert.Equal(values[i] > 1.0f ? 1f : 0f, flags[i]);
        Assert.Contains(1f, flags);
        Assert.Equal(figures.BandMae.Average() / (SceneLevels.Of(input).White - SceneLevels.Of(input).Black) * 100,
            measured.Average(), 0.05 * measured.Average());
    }
}

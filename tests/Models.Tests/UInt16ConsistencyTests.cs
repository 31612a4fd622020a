using Pipeline.Imaging;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;
using Pipeline.Models.Inference;
using Pipeline.Models.Latent;
using Xunit.Abstractions;

namespace Pipeline.Models.Tests;

/// <summary>
/// The shipped model on uint16 multispectral scenes (no HR exists): its ×4 output, averaged back over each 4×4 block,
/// must reproduce the scene's own LR at least as well as bicubic does. A model that shifted the radiometry or invented
/// structure the LR contradicts would fail this on the scenes it was never trained on (Landsat 8, Sentinel-2).
/// </summary>
public class UInt16ConsistencyTests(ITestOutputHelper output)
{
    static readonly string Scenes = SharedScenes.Folder;

    [Theory]
    [InlineData("landsat8_UTM16N_30m_RGBNIR_627x603.tif")]
    [InlineData("sentinel2_T18SVG_20160112_L1C_20m_6band_967x973.tif")]
    public void The_models_output_is_as_consistent_with_the_scenes_LR_as_bicubic(string scene)
    {
        const int scale = 4, size = 96;
        using var reader = GeoTiffReader.Open(Path.Combine(Scenes, scene));
        var levels = SceneLevels.Of(reader);
        var window = new PixelWindow((reader.Info.Width - size) / 2, (reader.Info.Height - size) / 2, size, size);
        var lr = reader.Read(window);
        var hrWindow = new PixelWindow(window.X * scale, window.Y * scale, size * scale, size * scale);

        using var model = LatentTileUpscaler.Load(Repository.Path("models", "deterministic-small.safetensors"));
        var modelError = LrError(model.Upscale(lr, scale, hrWindow, levels), lr, scale, levels);
        var bicubicError = LrError(new BicubicUpscaler().Upscale(lr, scale, hrWindow), lr, scale, levels);
        output.WriteLine($"{scene}: LR RMSE of the 4x4-averaged x4 output, % of the white level: model {modelError:F4}, bicubic {bicubicError:F4}");
        Assert.True(modelError <= bicubicError, $"model {modelError:F4} % > bicubic {bicubicError:F4} %");
    }

    /// <summary>RMS difference between the output averaged over each scale×scale block and the LR, away from a
    /// 4-px border, in % of the scene's white level.</summary>
    static double LrError(RasterBlock hr, RasterBlock lr, int scale, ValueRange levels)
    {
        double sum = 0;
        long n = 0;
        const int border = 4;
        for (var band = 0; band < lr.Bands; band++)
            for (var y = border; y < lr.Height - border; y++)
                for (var x = border; x < lr.Width - border; x++)
                {
                    double mean = 0;
                    for (var dy = 0; dy < scale; dy++)
                        for (var dx = 0; dx < scale; dx++)
                            mean += hr[band, x * scale + dx, y * scale + dy];
                    var d = mean / (scale * scale) - lr[band, x, y];
                    sum += d * d;
                    n++;
                }
        return 100 * Math.Sqrt(sum / n) / (levels.White - levels.Black);
    }
}

using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;
using Pipeline.Imaging.Tests.GeoTiff;

namespace Pipeline.Imaging.Tests.GdalIO;

/// <summary>A Sentinel-2 product as one scene: a synthetic SAFE folder of JPEG 2000 bands (made with gdal_translate
/// from a real Landsat scene's four bands) and its metadata file, L2A and L1C, before and after baseline 04.00.</summary>
public sealed class Sentinel2ProductTests : IDisposable
{
    readonly ScratchFolder scratch = new();

    public void Dispose() => scratch.Dispose();

    /// <summary>Bands B02, B03, B04, B08 from the Landsat scene's bands 1–4 (a 200×180 crop) and an MTD file naming them.</summary>
    string MakeProduct(bool level2, string baseline)
    {
        var safe = scratch.File(level2 ? "S2A_MSIL2A_TEST.SAFE" : "S2A_MSIL1C_TEST.SAFE");
        var images = level2 ? "GRANULE/L2A_T16RBT_A000001/IMG_DATA/R10m" : "GRANULE/L1C_T16RBT_A000001/IMG_DATA";
        Directory.CreateDirectory(Path.Combine(safe, images));
        var names = new[] { "B02", "B03", "B04", "B08" };
        var files = names.Select(name => $"{images}/T16RBT_20200101T163651_{name}{(level2 ? "_10m" : "")}").ToArray();
        for (var i = 0; i < 4; i++)
            Gdal.Translate(SharedScenes.LandsatRgbnir, Path.Combine(safe, files[i] + ".jp2"),
                "-b", $"{i + 1}", "-srcwin", "0", "0", "200", "180", "-of", "JP2OpenJPEG", "-co", "REVERSIBLE=YES", "-co", "QUALITY=100");
        var offsets = string.Concat(Enumerable.Range(0, 13).Select(id => $"<{(level2 ? "BOA" : "RADIO")}_ADD_OFFSET band_id=\"{id}\">-1000</{(level2 ? "BOA" : "RADIO")}_ADD_OFFSET>"));
        var quantification = level2 ? "<BOA_QUANTIFICATION_VALUE unit=\"none\">10000</BOA_QUANTIFICATION_VALUE>" : "<QUANTIFICATION_VALUE unit=\"none\">10000</QUANTIFICATION_VALUE>";
        File.WriteAllText(Path.Combine(safe, level2 ? "MTD_MSIL2A.xml" : "MTD_MSIL1C.xml"), $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <n1:Level-{(level2 ? "2A" : "1C")}_User_Product xmlns:n1="https://psd-14.sentinel2.eo.esa.int/PSD/User_Product_Level-{(level2 ? "2A" : "1C")}.xsd">
              <n1:General_Info><Product_Info><PROCESSING_BASELINE>{baseline}</PROCESSING_BASELINE>
                <Product_Organisation><Granule_List><Granule granuleIdentifier="T16RBT" imageFormat="JPEG2000">
                  {string.Concat(files.Select(f => $"<IMAGE_FILE>{f}</IMAGE_FILE>"))}
                </Granule></Granule_List></Product_Organisation></Product_Info>
                <Product_Image_Characteristics>{quantification}{offsets}</Product_Image_Characteristics>
              </n1:General_Info>
            </n1:Level-{(level2 ? "2A" : "1C")}_User_Product>
            """);
        return safe;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_four_10m_bands_read_as_one_named_scene_with_the_radiometric_offset_carried(bool level2)
    {
        var safe = MakeProduct(level2, "04.00");

        using var product = RasterReaders.Open(safe);
        using var landsat = GeoTiffReader.Open(SharedScenes.LandsatRgbnir);

        Assert.Equal((200, 180, 4, RasterSampleType.UInt16, 0.0), (product.Info.Width, product.Info.Height, product.Info.Bands, product.Info.SampleType, product.Info.NoData));
        Assert.Equal(["B02", "B03", "B04", "B08"], product.Info.BandDescriptions);
        var window = new PixelWindow(20, 30, 100, 90);
        Assert.Equal(landsat.Read(window).Data, product.Read(window).Data);
        Assert.Equal(landsat.Info.Geo!.GeoTransform, product.Info.Geo!.GeoTransform);

        var output = scratch.File("s2-x2.tif");
        SceneUpscaleJob.Run(Path.Combine(safe, level2 ? "MTD_MSIL2A.xml" : "MTD_MSIL1C.xml"), output, 2, new BicubicUpscaler(), new SceneUpscaleOptions());
        var info = Gdal.Info(output);
        var source = landsat.Info.Geo!.GeoTransform!;
        Assert.Equal([source[0], source[1] / 2, 0, source[3], 0, source[5] / 2], info.GetProperty("geoTransform").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(Gdal.Info(SharedScenes.LandsatRgbnir).GetProperty("coordinateSystem").GetProperty("wkt").GetString(),
            info.GetProperty("coordinateSystem").GetProperty("wkt").GetString());
        var bands = info.GetProperty("bands").EnumerateArray().ToList();
        Assert.Equal(["B02", "B03", "B04", "B08"], bands.Select(b => b.GetProperty("description").GetString()));
        Assert.All(bands, b => Assert.Equal((0.0001, -0.1, 0.0), (b.GetProperty("scale").GetDouble(), b.GetProperty("offset").GetDouble(), b.GetProperty("noDataValue").GetDouble())));
    }

    [Fact]
    public void Before_baseline_04_00_no_offset_is_declared_and_a_missing_band_is_named()
    {
        var safe = MakeProduct(level2: true, baseline: "03.01");
        using (var product = RasterReaders.Open(safe))
            Assert.DoesNotContain("role=\"offset\"", product.Info.GdalMetadataXml);

        File.Delete(Directory.GetFiles(safe, "*_B04_10m.jp2", SearchOption.AllDirectories).Single());
        var error = Assert.Throws<RasterFormatException>(() => RasterReaders.Open(safe));
        Assert.StartsWith($"{safe}: B04: ", error.Message);
        Assert.EndsWith("is missing", error.Message);
    }

    /// <summary>Band paths come from the product's metadata: one leading out of the .SAFE folder (relative, absolute,
    /// or a link inside it pointing out) is refused in one line, and no file outside is opened.</summary>
    [Theory]
    [InlineData("relative")]
    [InlineData("absolute")]
    [InlineData("link")]
    public void A_band_path_leading_outside_the_product_is_refused(string how)
    {
        var safe = MakeProduct(level2: true, baseline: "05.00");
        var band = Directory.GetFiles(safe, "*_B03_10m.jp2", SearchOption.AllDirectories).Single();
        var outside = scratch.File("outside");
        Directory.CreateDirectory(outside);
        var stolen = Path.Combine(outside, "T16RBT_20200101T163651_B03_10m.jp2");
        File.Move(band, stolen);
        var metadata = Path.Combine(safe, "MTD_MSIL2A.xml");
        var image = Path.GetRelativePath(safe, band)[..^".jp2".Length];
        switch (how)
        {
            case "relative": File.WriteAllText(metadata, File.ReadAllText(metadata).Replace(image, "../outside/T16RBT_20200101T163651_B03_10m")); break;
            case "absolute": File.WriteAllText(metadata, File.ReadAllText(metadata).Replace(image, stolen[..^".jp2".Length])); break;
            default: File.CreateSymbolicLink(band, stolen); break;
        }
        var error = Assert.Throws<RasterFormatException>(() => RasterReaders.Open(safe));
        Assert.StartsWith($"{safe}: B03: ", error.Message);
        Assert.EndsWith("outside the product folder; refused", error.Message);
    }
}

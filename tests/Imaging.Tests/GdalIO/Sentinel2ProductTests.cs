using Pipeline.Imaging.GdalIO;
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
        // The 20 m group: the same crop at half size, bands 1–4 then 1–2 again, in L2A's R20m folder (L1C keeps one folder).
        var images20 = level2 ? images.Replace("R10m", "R20m") : images;
        Directory.CreateDirectory(Path.Combine(safe, images20));
        var files20 = TwentyMetreBands.Select(name => $"{images20}/T16RBT_20200101T163651_{name}{(level2 ? "_20m" : "")}").ToArray();
        for (var i = 0; i < files20.Length; i++)
            Gdal.Translate(SharedScenes.LandsatRgbnir, Path.Combine(safe, files20[i] + ".jp2"), "-b", $"{i % 4 + 1}", "-srcwin", "0", "0", "200", "180",
                "-outsize", "100", "90", "-of", "JP2OpenJPEG", "-co", "REVERSIBLE=YES", "-co", "QUALITY=100");
        files = [.. files, .. files20];
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

    static readonly string[] TwentyMetreBands = ["B05", "B06", "B07", "B8A", "B11", "B12"];

    /// <summary>Issue 31: the 20 m bands as a scene of their own grid (SENTINEL2:"…":20m), with their own band ids' offsets.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_six_20m_bands_read_as_a_scene_on_their_own_grid(bool level2)
    {
        var safe = MakeProduct(level2, "04.00");

        using var product = RasterReaders.Open(Sentinel2Product.SceneName(safe, "20m"));

        Assert.Equal((100, 90, 6), (product.Info.Width, product.Info.Height, product.Info.Bands));
        Assert.Equal(TwentyMetreBands, product.Info.BandDescriptions);
        Assert.Equal(30.0 * 2, product.Info.Geo!.GeoTransform![1], 9);
        Assert.Contains("<Item name=\"OFFSET\" sample=\"5\" role=\"offset\">-0.1</Item>", product.Info.GdalMetadataXml);
        using var b8a = GdalReader.Open(Directory.GetFiles(safe, "*B8A*.jp2", SearchOption.AllDirectories).Single());
        var window = new PixelWindow(10, 20, 50, 40);
        Assert.Equal(b8a.Read(window).Data, product.Read(window).Band(3).ToArray());
    }

    /// <summary>Issue 31: a product as distributed, zipped (the .SAFE folder inside), reads as the folder does, both groups.</summary>
    [Fact]
    public void A_zipped_product_reads_as_its_folder()
    {
        var safe = MakeProduct(level2: true, baseline: "04.00");
        var zip = safe + ".zip";
        System.IO.Compression.ZipFile.CreateFromDirectory(safe, zip, System.IO.Compression.CompressionLevel.Fastest, includeBaseDirectory: true);

        foreach (var resolution in new[] { "10m", "20m" })
        {
            using var folder = RasterReaders.Open(Sentinel2Product.SceneName(safe, resolution));
            using var zipped = RasterReaders.Open(Sentinel2Product.SceneName(zip, resolution));
            Assert.Equal(folder.Info with { GdalMetadataXml = null, Geo = null }, zipped.Info with { GdalMetadataXml = null, Geo = null });
            Assert.Equal(folder.Info.GdalMetadataXml, zipped.Info.GdalMetadataXml);
            var whole = new PixelWindow(0, 0, folder.Info.Width, folder.Info.Height);
            Assert.Equal(folder.Read(whole).Data, zipped.Read(whole).Data);
        }
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

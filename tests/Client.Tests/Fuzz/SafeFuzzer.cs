using System.Diagnostics;

namespace Pipeline.Client.Tests.Fuzz;

/// <summary>
/// Seeded mutations of a Sentinel-2 L2A product (a <c>.SAFE</c> folder of four JPEG 2000 10 m bands and its
/// <c>MTD_MSIL2A.xml</c>): damaged metadata, band paths and links that lead out of the folder, missing, mismatched,
/// damaged and blocking (FIFO) bands, absurd radiometric numbers, XML entities, and bloated metadata.
/// </summary>
static class SafeFuzzer
{
    public static readonly string[] Families =
        ["mtd-flip", "mtd-truncation", "escaping-path", "linked-band", "linked-folder", "missing-band", "mismatched-band", "band-damage",
         "odd-numbers", "xml-entity", "fifo-band", "bloated-metadata"];

    public static readonly string[] BandNames = ["B02", "B03", "B04", "B08"];

    const string Images = "GRANULE/L2A_T16RBT_A000001/IMG_DATA/R10m";

    /// <summary>The metadata file's text, listing <paramref name="imageFiles"/> (relative to the product, no extension).</summary>
    public static string Metadata(IEnumerable<string> imageFiles, string baseline = "04.00", string quantification = "10000", string offset = "-1000") => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <n1:Level-2A_User_Product xmlns:n1="https://psd-14.sentinel2.eo.esa.int/PSD/User_Product_Level-2A.xsd">
          <n1:General_Info><Product_Info><PROCESSING_BASELINE>{baseline}</PROCESSING_BASELINE>
            <Product_Organisation><Granule_List><Granule granuleIdentifier="T16RBT" imageFormat="JPEG2000">
              {string.Concat(imageFiles.Select(f => $"<IMAGE_FILE>{f}</IMAGE_FILE>"))}
            </Granule></Granule_List></Product_Organisation></Product_Info>
            <Product_Image_Characteristics><BOA_QUANTIFICATION_VALUE unit="none">{quantification}</BOA_QUANTIFICATION_VALUE>{string.Concat(Enumerable.Range(0, 13).Select(id => $"<BOA_ADD_OFFSET band_id=\"{id}\">{offset}</BOA_ADD_OFFSET>"))}</Product_Image_Characteristics>
          </n1:General_Info>
        </n1:Level-2A_User_Product>
        """;

    /// <summary>The seed's band files in a product's layout under <paramref name="safe"/>; their IMAGE_FILE names.</summary>
    public static List<string> WriteBands(string safe, IReadOnlyList<byte[]> bands)
    {
        Directory.CreateDirectory(Path.Combine(safe, Images));
        var files = BandNames.Select(ImageFile).ToList();
        for (var i = 0; i < 4; i++) File.WriteAllBytes(Path.Combine(safe, files[i] + ".jp2"), bands[i]);
        return files;
    }

    /// <summary>Families whose every case must be refused: each reaches outside its product, blocks, or is incomplete.</summary>
    public static readonly string[] Refused =
        ["escaping-path", "linked-band", "linked-folder", "missing-band", "mismatched-band", "xml-entity", "fifo-band", "bloated-metadata"];

    static string ImageFile(string band) => $"{Images}/T16RBT_20200101T163651_{band}_10m";

    /// <summary>Writes case <paramref name="safe"/>: the seed product (<paramref name="bands"/>, one JPEG 2000 file
    /// per band) mutated by <paramref name="family"/>. <paramref name="outside"/> is a folder beside the products
    /// holding a complete copy of the seed's band folder, the target of the escapes.</summary>
    public static void Write(string safe, IReadOnlyList<byte[]> bands, byte[] smallBand, string outside, string family, Random random)
    {
        var files = WriteBands(safe, bands);
        var victim = random.Next(4);
        var victimPath = Path.Combine(safe, files[victim] + ".jp2");
        var metadata = Metadata(files);
        switch (family)
        {
            case "mtd-flip":
                var chars = metadata.ToCharArray();
                for (var i = 1 + random.Next(6); i > 0; i--) chars[random.Next(chars.Length)] = (char)random.Next(32, 127);
                metadata = new string(chars);
                break;
            case "mtd-truncation":
                metadata = metadata[..random.Next(1, metadata.Length)];
                break;
            case "escaping-path":
                var escaped = new[] { $"../{Path.GetFileName(outside)}/T16RBT_20200101T163651_{BandNames[victim]}_10m", Path.Combine(outside, $"T16RBT_20200101T163651_{BandNames[victim]}_10m"),
                    "../../../../../../etc/passwd#_B02_10m" }[random.Next(3)];
                files[victim] = escaped;
                metadata = Metadata(files);
                break;
            case "linked-band":
                File.Delete(victimPath);
                File.CreateSymbolicLink(victimPath, new[] { Path.Combine(outside, Path.GetFileName(victimPath)), "/etc/passwd", "/dev/zero" }[random.Next(3)]);
                break;
            case "linked-folder":
                var granule = Path.Combine(safe, "GRANULE");
                Directory.Delete(granule, recursive: true);
                Directory.CreateSymbolicLink(granule, Path.Combine(outside, "GRANULE"));
                break;
            case "missing-band":
                File.Delete(victimPath);
                break;
            case "mismatched-band":
                File.WriteAllBytes(victimPath, smallBand);
                break;
            case "band-damage":
                File.WriteAllBytes(victimPath, GdalFuzzer.MutateBinary(bands[victim], GdalFuzzer.BinaryFamilies[random.Next(GdalFuzzer.BinaryFamilies.Length)], random));
                break;
            case "odd-numbers":
                var numbers = new[] { "0", "-1", "NaN", "1e308", "-1e308", "Infinity", "x", "" };
                metadata = Metadata(files, new[] { "04.00", "99.99", "", "..", "04.00\u0000" }[random.Next(5)], numbers[random.Next(numbers.Length)], numbers[random.Next(numbers.Length)]);
                break;
            case "xml-entity":
                var declaration = new[]
                {
                    "<!DOCTYPE x [<!ENTITY e SYSTEM \"/etc/passwd\">]>",
                    "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>",
                    "<!DOCTYPE x SYSTEM \"http://127.0.0.1:9/x.dtd\">",
                }[random.Next(3)];
                metadata = metadata.Replace("<n1:Level-2A_User_Product", declaration + "<n1:Level-2A_User_Product")
                    .Replace("<PROCESSING_BASELINE>04.00", "<PROCESSING_BASELINE>04.00" + (random.Next(2) == 0 ? "&e;" : "&d;"));
                break;
            case "fifo-band":
                File.Delete(victimPath);
                MakeFifo(victimPath);
                break;
            default:
                // Hundreds of thousands of entries, one of them right: a reader must not take it all to memory.
                metadata = Metadata(Enumerable.Range(0, 200_000).Select(i => $"{Images}/junk_{i}_B99_10m").Concat(files));
                break;
        }
        File.WriteAllText(Path.Combine(safe, "MTD_MSIL2A.xml"), metadata);
    }

    static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        if (mkfifo.ExitCode != 0) throw new IOException($"mkfifo {path} failed");
    }
}

using System.Xml;
using System.Xml.Linq;
using Pipeline.Imaging.GeoTiff;
using Pipeline.Imaging.Rasters;

namespace Pipeline.Imaging.GdalIO;

/// <summary>
/// Checks a VRT before GDAL opens it, because a VRT is a program for GDAL: its bands may read raw bytes of any file
/// (<c>VRTRawRasterBand</c> over /etc/passwd), and its sources may be any GDAL path (<c>MEM:::</c> reading process
/// memory, <c>/vsicurl/</c> to a host the submitter picked). A VRT is accepted only when every source is a local file
/// that is itself an acceptable input (nested VRTs checked the same way, at most <see cref="MaxDepth"/> deep, no
/// cycles) and no band is raw or computed in Python. Its declared size must be mostly covered by its sources: a
/// 300-byte VRT declaring 100000 × 100000 pixels over a 100 × 100 file kept a CPU busy for hours.
/// </summary>
internal static class VrtSources
{
    const int MaxDepth = 8;
    const long MaxBytes = 16 << 20;
    static readonly string[] SystemFolders = ["/proc/", "/sys/", "/dev/"];

    /// <summary>A VRT may declare up to this many pixels whatever its sources cover (a mosaic with gaps), and beyond it
    /// at most <see cref="MaxEmptyRatio"/> times what its most covered band's sources cover.</summary>
    const long FreePixels = 4096L * 4096;
    const long MaxEmptyRatio = 16;

    /// <summary>Whether the file starts like a VRT (after optional white space).</summary>
    public static bool IsVrt(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (!file.CanSeek) return false;
            var head = new byte[64];
            var read = file.Read(head);
            return System.Text.Encoding.UTF8.GetString(head, 0, read).TrimStart().StartsWith("<VRTDataset", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <exception cref="RasterFormatException">One line naming <paramref name="path"/> and what is not allowed.</exception>
    /// <param name="roots">Folders every source must lie in (a silo's <c>Pipeline:Inputs:Roots</c>).</param>
    public static void Check(string path, Access.PathRoots roots) => Check(path, path, [], 0, roots);

    static void Check(string top, string vrt, HashSet<string> seen, int depth, Access.PathRoots roots)
    {
        if (depth > MaxDepth) throw new RasterFormatException(top, $"VRTs nested more than {MaxDepth} deep");
        if (!seen.Add(Path.GetFullPath(vrt))) throw new RasterFormatException(top, $"VRT {vrt} refers back to itself");
        var document = Load(top, vrt);
        CheckDeclaredSize(top, vrt, document);
        foreach (var element in document.Descendants())
        {
            if (element.Name.LocalName == "VRTRasterBand" && (string?)element.Attribute("subClass") is "VRTRawRasterBand")
                throw new RasterFormatException(top, "a VRT band that reads raw file bytes (VRTRawRasterBand) is not allowed");
            if (element.Name.LocalName == "PixelFunctionLanguage")
                throw new RasterFormatException(top, "a VRT pixel function in Python is not allowed");
            if (element.Name.LocalName is not ("SourceFilename" or "SourceDataset")) continue;
            var source = element.Value.Trim();
            var relative = (string?)element.Attribute("relativeToVRT") == "1";
            if (source.StartsWith("/vsi", StringComparison.Ordinal) || source.Contains("://", StringComparison.Ordinal) || DriverPrefixed(source))
                throw new RasterFormatException(top, $"VRT source '{source}' is not a local file (only local files may be VRT sources)");
            var resolved = relative || !Path.IsPathRooted(source) ? Path.GetFullPath(source, Path.GetDirectoryName(Path.GetFullPath(vrt))!) : source;
            if (SystemFolders.Any(folder => resolved.StartsWith(folder, StringComparison.Ordinal)))
                throw new RasterFormatException(top, $"VRT source '{source}' is in a system folder");
            if (!File.Exists(resolved)) throw new RasterFormatException(top, $"VRT source '{source}': no such file");
            if (roots.Outside(resolved) is { } real)
                throw new RasterFormatException(top, $"VRT source '{source}' is outside Pipeline:Inputs:Roots ({string.Join(", ", roots.Folders)}): it is {real}");
            if (LocalFiles.Problem(resolved) is { } problem) throw new RasterFormatException(top, $"VRT source '{source}': {problem.Message}");
            if (IsVrt(resolved)) Check(top, resolved, seen, depth + 1, roots);
        }
    }

    /// <summary>The declared raster against the destination rectangles of its sources.</summary>
    static void CheckDeclaredSize(string top, string vrt, XDocument document)
    {
        var root = document.Root!;
        long Attribute(XElement e, string name) => long.TryParse((string?)e.Attribute(name), out var v) && v > 0 ? v : 0;
        var declared = Attribute(root, "rasterXSize") * Attribute(root, "rasterYSize");
        if (declared <= FreePixels) return;
        var covered = root.Elements().Where(e => e.Name.LocalName == "VRTRasterBand").Select(band =>
            band.Elements().Where(e => e.Name.LocalName.EndsWith("Source", StringComparison.Ordinal)).Sum(source =>
                source.Elements().FirstOrDefault(e => e.Name.LocalName == "DstRect") is { } rect
                    ? Math.Min(declared, (long)Math.Min((double)long.MaxValue, (double)Attribute(rect, "xSize") * Attribute(rect, "ySize")))
                    // No DstRect: GDAL places the source at its own size, unknown here without opening it; counted as
                    // at most the free allowance, so a 300-byte VRT cannot stretch a thumbnail over 10¹⁰ pixels.
                    : Math.Min(declared, FreePixels))).DefaultIfEmpty(0).Max();
        if ((double)declared > (double)MaxEmptyRatio * covered)
            throw new RasterFormatException(top, $"VRT {Path.GetFileName(vrt)} declares {(string?)root.Attribute("rasterXSize")}x{(string?)root.Attribute("rasterYSize")} pixels, " +
                $"but its sources cover {covered:N0} of them (beyond {FreePixels:N0} pixels, sources must cover at least 1/{MaxEmptyRatio} of a VRT; a source without a DstRect counts as {FreePixels:N0})");
    }

    static XDocument Load(string top, string vrt)
    {
        if (new FileInfo(vrt).Length > MaxBytes) throw new RasterFormatException(top, $"VRT {vrt} is larger than {MaxBytes >> 20} MiB");
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = MaxBytes };
        try
        {
            using var reader = XmlReader.Create(vrt, settings);
            return XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new RasterFormatException(top, $"VRT {vrt} is not well-formed XML ({e.Message})", e);
        }
    }

    // DRIVER:… (MEM:::, NETCDF:"f":v, HDF5:…): a GDAL path that names a driver, never a plain file.
    static bool DriverPrefixed(string source) => System.Text.RegularExpressions.Regex.IsMatch(source, "^[A-Za-z][A-Za-z0-9_]+:");
}

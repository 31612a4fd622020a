using System.Xml;
using System.Xml.Linq;

namespace Pipeline.Imaging.Rasters;

/// <summary>Reads band descriptions out of GDAL's GDAL_METADATA XML (items with role="description"), and drops
/// what stops being true when the pixels change.</summary>
internal static class GdalMetadata
{
    public static string[] BandDescriptions(string? xml, int bands)
    {
        var descriptions = new string[bands];
        Array.Fill(descriptions, string.Empty);
        if (string.IsNullOrWhiteSpace(xml)) return descriptions;
        try
        {
            foreach (var item in XElement.Parse(xml).Elements("Item"))
            {
                if ((string?)item.Attribute("role") != "description") continue;
                if (int.TryParse((string?)item.Attribute("sample"), out var band) && band >= 0 && band < bands)
                    descriptions[band] = item.Value;
            }
        }
        catch (XmlException)
        {
            // Malformed metadata is still carried verbatim; it just yields no descriptions.
        }
        return descriptions;
    }

    public static double?[] BandScales(string? xml, int bands)
    {
        var scales = new double?[bands];
        if (string.IsNullOrWhiteSpace(xml)) return scales;
        try
        {
            foreach (var item in XElement.Parse(xml).Elements("Item"))
                if ((string?)item.Attribute("role") == "scale" && int.TryParse((string?)item.Attribute("sample"), out var band) && band >= 0 && band < bands
                    && double.TryParse(item.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var scale)
                    && double.IsFinite(scale) && scale != 0)
                    scales[band] = scale;
        }
        catch (XmlException)
        {
        }
        return scales;
    }

    /// <summary>With band <paramref name="band"/>'s description set (well-formed XML expected: <see cref="WithItems"/> made it).</summary>
    public static string WithBandDescription(string xml, int band, string description)
    {
        var root = XElement.Parse(xml);
        root.Elements("Item").Where(i => (string?)i.Attribute("role") == "description" && (string?)i.Attribute("sample") == band.ToString(System.Globalization.CultureInfo.InvariantCulture)).Remove();
        root.Add(new XElement("Item", new XAttribute("name", "DESCRIPTION"), new XAttribute("sample", band), new XAttribute("role", "description"), description));
        return root.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>Dataset-level items set (replacing items of the same name); malformed metadata is replaced.</summary>
    public static string WithItems(string? xml, IReadOnlyList<(string Name, string Value)> items)
    {
        XElement root;
        try
        {
            root = string.IsNullOrWhiteSpace(xml) ? new XElement("GDALMetadata") : XElement.Parse(xml);
        }
        catch (XmlException)
        {
            root = new XElement("GDALMetadata");
        }
        foreach (var (name, value) in items)
        {
            root.Elements("Item").Where(i => (string?)i.Attribute("name") == name && i.Attribute("sample") is null && i.Attribute("domain") is null).Remove();
            root.Add(new XElement("Item", new XAttribute("name", name), value));
        }
        return root.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>
    /// <paramref name="xml"/> without its STATISTICS_* items (minimum, maximum, mean, standard deviation, valid
    /// percent), which describe the input's pixels, not the upscaled ones; GDAL drops them too when it resamples, and
    /// recomputes them on request. Null when nothing else is left; unchanged when there are none or the XML is malformed.
    /// </summary>
    public static string? WithoutStatistics(string? xml)
    {
        if (string.IsNullOrWhiteSpace(xml) || !xml.Contains("STATISTICS_", StringComparison.Ordinal)) return xml;
        try
        {
            var root = XElement.Parse(xml);
            root.Elements("Item").Where(item => ((string?)item.Attribute("name"))?.StartsWith("STATISTICS_", StringComparison.Ordinal) == true).Remove();
            return root.HasElements ? root.ToString(SaveOptions.DisableFormatting) : null;
        }
        catch (XmlException)
        {
            return xml;
        }
    }
}

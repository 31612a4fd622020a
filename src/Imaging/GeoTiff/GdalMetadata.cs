using System.Xml;
using System.Xml.Linq;

namespace Pipeline.Imaging.GeoTiff;

/// <summary>Reads band descriptions out of GDAL's GDAL_METADATA XML (items with role="description").</summary>
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
}

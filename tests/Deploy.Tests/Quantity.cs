using System.Globalization;

namespace Pipeline.Deploy.Tests;

/// <summary>Kubernetes resource quantities ("500m", "4", "16Gi") as numbers.</summary>
static class Quantity
{
    static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40),
        ("k", 1e3m), ("M", 1e6m), ("G", 1e9m), ("T", 1e12m), ("m", 1e-3m),
    ];

    public static decimal Parse(string quantity)
    {
        foreach (var (suffix, factor) in Suffixes)
            if (quantity.EndsWith(suffix, StringComparison.Ordinal))
                return decimal.Parse(quantity[..^suffix.Length], CultureInfo.InvariantCulture) * factor;
        return decimal.Parse(quantity, CultureInfo.InvariantCulture);
    }
}

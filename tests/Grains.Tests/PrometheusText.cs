using System.Globalization;

namespace Pipeline.Grains.Tests;

/// <summary>Reads samples out of a Prometheus text exposition: <c>name{label="v",…} value [timestamp]</c>.</summary>
static class PrometheusText
{
    /// <summary>The sum of the samples of <paramref name="metric"/> whose labels include every one of
    /// <paramref name="labels"/> (written <c>key="value"</c>); null when there is no such sample.</summary>
    public static double? Sum(string exposition, string metric, params string[] labels)
    {
        double? sum = null;
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(metric, StringComparison.Ordinal)) continue;
            var rest = line[metric.Length..];
            var labelText = "";
            if (rest.StartsWith('{'))
            {
                var close = rest.IndexOf('}');
                labelText = rest[1..close];
                rest = rest[(close + 1)..];
            }
            else if (!rest.StartsWith(' '))
            {
                continue; // a longer name with this prefix
            }
            if (!labels.All(label => labelText.Contains(label, StringComparison.Ordinal))) continue;
            var value = rest.Trim().Split(' ')[0];
            sum = (sum ?? 0) + double.Parse(value, CultureInfo.InvariantCulture);
        }
        return sum;
    }
}

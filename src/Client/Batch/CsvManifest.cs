using System.Globalization;
using nietras.SeparatedValues;

namespace Pipeline.Client.Batch;

/// <summary>The rows of a CSV manifest, parsed by Sep: a header naming the columns (<c>input</c> required; <c>output</c>,
/// <c>scale</c> optional; any order, any case), then one scene a line. Fields may be quoted (RFC 4180, "" for a quote)
/// and are trimmed; blank lines are skipped. Errors name the file and line.</summary>
static class CsvManifest
{
    static readonly string[] Columns = ["input", "output", "scale"];

    public static IReadOnlyList<ManifestRow> Rows(string path)
    {
        using var reader = Sep.New(',').Reader(options => options with { Unescape = true, Trim = SepTrim.All, DisableColCountCheck = true })
            .FromFile(path);
        if (reader.Header.IsEmpty) throw new InvalidDataException($"{path}: empty manifest (expected a header line: input,output,scale)");
        var column = Header(reader.Header.ColNames, $"{path}:1");
        var rows = new List<ManifestRow>();
        foreach (var row in reader)
        {
            var where = $"{path}:{row.LineNumberFrom}";
            // An odd number of quotes means one was opened and never closed (Sep would read on to the end of the file).
            if (row.Span.Count('"') % 2 != 0) throw new InvalidDataException($"{where}: a quoted field is not closed");
            if (row.ColCount == 1 && row[0].Span.IsEmpty) continue;
            if (row.ColCount != column.Count)
                throw new InvalidDataException($"{where}: {row.ColCount} fields, the header has {column.Count}");
            var input = row[column["input"]].ToString();
            if (input.Length == 0) throw new InvalidDataException($"{where}: the input is empty");
            var output = column.TryGetValue("output", out var o) && row[o].ToString() is { Length: > 0 } given ? given : null;
            var scale = column.TryGetValue("scale", out var s) && row[s].ToString() is { Length: > 0 } text ? Scale(text, where) : (double?)null;
            rows.Add(new ManifestRow(input, output, scale));
        }
        return rows;
    }

    static Dictionary<string, int> Header(IReadOnlyList<string> names, string where)
    {
        var column = new Dictionary<string, int>();
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i].ToLowerInvariant();
            if (!Columns.Contains(name))
                throw new InvalidDataException($"{where}: unknown column '{names[i]}' (the header names input, and optionally output and scale)");
            if (!column.TryAdd(name, i)) throw new InvalidDataException($"{where}: column '{name}' appears twice");
        }
        if (!column.ContainsKey("input")) throw new InvalidDataException($"{where}: the header has no 'input' column");
        return column;
    }

    static double Scale(string text, string where) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale)
            ? scale
            : throw new InvalidDataException($"{where}: scale '{text}' is not a number");
}

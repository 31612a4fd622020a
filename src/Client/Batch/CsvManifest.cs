using System.Globalization;
using System.Text;

namespace Pipeline.Client.Batch;

/// <summary>The rows of a CSV manifest: a header naming the columns (<c>input</c> required; <c>output</c>, <c>scale</c>
/// optional; any order), then one scene a line. Fields may be quoted (RFC 4180, "" for a quote); blank lines are
/// skipped. Errors name the file and line.</summary>
static class CsvManifest
{
    static readonly string[] Columns = ["input", "output", "scale"];

    public static IReadOnlyList<ManifestRow> Rows(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = -1;
        Dictionary<string, int> column = [];
        var rows = new List<ManifestRow>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var where = $"{path}:{i + 1}";
            var fields = Split(lines[i], where);
            if (header < 0)
            {
                header = i;
                column = Header(fields, where);
                continue;
            }
            if (fields.Count != column.Count)
                throw new InvalidDataException($"{where}: {fields.Count} fields, the header has {column.Count}");
            var input = fields[column["input"]].Trim();
            if (input.Length == 0) throw new InvalidDataException($"{where}: the input is empty");
            var output = column.TryGetValue("output", out var o) && fields[o].Trim() is { Length: > 0 } given ? given : null;
            var scale = column.TryGetValue("scale", out var s) && fields[s].Trim() is { Length: > 0 } text ? Scale(text, where) : (double?)null;
            rows.Add(new ManifestRow(input, output, scale));
        }
        if (header < 0) throw new InvalidDataException($"{path}: empty manifest (expected a header line: input,output,scale)");
        return rows;
    }

    static Dictionary<string, int> Header(List<string> fields, string where)
    {
        var column = new Dictionary<string, int>();
        for (var i = 0; i < fields.Count; i++)
        {
            var name = fields[i].Trim().ToLowerInvariant();
            if (!Columns.Contains(name))
                throw new InvalidDataException($"{where}: unknown column '{fields[i].Trim()}' (the header names input, and optionally output and scale)");
            if (!column.TryAdd(name, i)) throw new InvalidDataException($"{where}: column '{name}' appears twice");
        }
        if (!column.ContainsKey("input")) throw new InvalidDataException($"{where}: the header has no 'input' column");
        return column;
    }

    static double Scale(string text, string where) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale)
            ? scale
            : throw new InvalidDataException($"{where}: scale '{text}' is not a number");

    static List<string> Split(string line, string where)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"') field.Append(line[++i]);
                else quoted = false;
            }
            else if (c == '"' && field.ToString().Trim().Length == 0)
            {
                field.Clear();
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else field.Append(c);
        }
        if (quoted) throw new InvalidDataException($"{where}: a quoted field is not closed");
        fields.Add(field.ToString());
        return fields;
    }
}

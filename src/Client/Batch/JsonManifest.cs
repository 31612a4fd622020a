using System.Text.Json;

namespace Pipeline.Client.Batch;

/// <summary>The entries of a JSON manifest: an array of objects with <c>input</c> (string), optional <c>output</c>
/// (string) and <c>scale</c> (number). Errors name the file and the entry (1-based).</summary>
static class JsonManifest
{
    public static IReadOnlyList<ManifestRow> Rows(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{path}: expected an array of {{\"input\", \"output\", \"scale\"}} objects");
            return document.RootElement.EnumerateArray().Select((entry, i) => Row(entry, $"{path}: entry {i + 1}")).ToList();
        }
    }

    static ManifestRow Row(JsonElement entry, string where)
    {
        if (entry.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{where}: not an object");
        string? input = null, output = null;
        double? scale = null;
        foreach (var property in entry.EnumerateObject())
        {
            switch (property.Name.ToLowerInvariant())
            {
                case "input": input = Text(property, where); break;
                case "output": output = property.Value.ValueKind == JsonValueKind.Null ? null : Text(property, where); break;
                case "scale":
                    scale = property.Value.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.Number => property.Value.GetDouble(),
                        _ => throw new InvalidDataException($"{where}: scale must be a number, got {property.Value.GetRawText()}"),
                    };
                    break;
                default: throw new InvalidDataException($"{where}: unknown property '{property.Name}' (expected input, output, scale)");
            }
        }
        if (string.IsNullOrWhiteSpace(input)) throw new InvalidDataException($"{where}: no input");
        return new ManifestRow(input, string.IsNullOrWhiteSpace(output) ? null : output, scale);
    }

    static string Text(JsonProperty property, string where) => property.Value.ValueKind == JsonValueKind.String
        ? property.Value.GetString()!
        : throw new InvalidDataException($"{where}: {property.Name} must be a string, got {property.Value.GetRawText()}");
}

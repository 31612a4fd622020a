using System.Text.RegularExpressions;
using Pipeline.Models.Weights;

namespace Pipeline.Models.Tests;

/// <summary>The model card's SHA-256 table names every shipped weights file with its actual digest, so that a user
/// can check a silo's weights against it (a retrained file without a new row fails here).</summary>
public class ModelCardDigestTests
{
    [Fact]
    public void The_model_card_lists_each_shipped_file_with_its_digest()
    {
        var card = File.ReadAllText(Path.Combine(Repository.Root, "models", "README.md"));
        var rows = Regex.Matches(card, @"^\| `([\w-]+\.safetensors)` \| `([0-9a-f]{64})` \|$", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var shipped = Directory.GetFiles(Path.Combine(Repository.Root, "models"), "*.safetensors");
        Assert.NotEmpty(shipped);
        foreach (var file in shipped)
            Assert.Equal(WeightsDigest.Of(file), rows.GetValueOrDefault(Path.GetFileName(file)));
    }
}

using Pipeline.Models.Configuration;
using Xunit.Abstractions;

namespace Pipeline.Models.Tests;

public class ParameterCountTests(ITestOutputHelper output)
{
    [Fact]
    public void Print()
    {
        foreach (var c in SrConfig.All)
        {
            var p = ParameterCounts.Measure(c);
            output.WriteLine($"{c.Name}: {p} dec={p.Decoder} inf={p.Inference} s1={p.Stage1}");
        }
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Pipeline.Client.Commands;

/// <summary>
/// Number options parsed with the invariant culture and <see cref="NumberStyles.Float"/> only. The library's own
/// parser allows group separators, so <c>--scale 2,5</c> ran at ×25; here it is an error that says to use a dot.
/// </summary>
static class InvariantNumbers
{
    public static Option<double> Invariant(this Option<double> option)
    {
        option.CustomParser = result => Parse(result, option.Name) ?? option.DefaultValueFactory?.Invoke(result) ?? 0;
        return option;
    }

    public static Option<double?> Invariant(this Option<double?> option)
    {
        option.CustomParser = result => Parse(result, option.Name);
        return option;
    }

    static double? Parse(ArgumentResult result, string name)
    {
        if (result.Tokens.Count == 0) return null;
        var text = result.Tokens[^1].Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return value;
        result.AddError($"{name}: '{text}' is not a number (decimals take a dot, e.g. 2.5)");
        return null;
    }
}

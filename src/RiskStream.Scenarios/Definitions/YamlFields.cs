using System.Globalization;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using YamlDotNet.RepresentationModel;

namespace RiskStream.Scenarios.Definitions;

/// <summary>
/// Typed reading of YAML nodes for the configuration files: every mistake is a <see cref="ScenarioException"/> that
/// names the file and the line; unknown keys are mistakes too, so a misspelt <c>fro:</c> is never silently ignored.
/// </summary>
internal sealed class YamlFields(string source)
{
    public string Source => source;

    public ScenarioException Error(YamlNode node, string reason) => new($"{source}:{node.Start.Line}: {reason}");

    public static string Text(YamlNode node) => node is YamlScalarNode { Value: { } v } ? v : "";

    public Dictionary<string, YamlNode> Map(YamlNode node, string what, params string[] allowed)
    {
        if (node is not YamlMappingNode map)
        {
            throw Error(node, $"{what} must be a mapping");
        }

        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var key = Text(k);
            if (!allowed.Contains(key))
            {
                throw Error(k, $"unknown key '{key}' in {what} (allowed: {string.Join(", ", allowed)})");
            }

            result[key] = v;
        }

        return result;
    }

    /// <summary>A mapping of any keys (each once), in file order.</summary>
    public IEnumerable<(string Key, YamlNode Value)> Pairs(YamlNode node, string what)
    {
        if (node is not YamlMappingNode map)
        {
            throw Error(node, $"{what} must be a mapping");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var key = Text(k);
            yield return seen.Add(key) ? (key, v) : throw Error(k, $"'{key}' is given twice in {what}");
        }
    }

    public IEnumerable<YamlNode> Seq(YamlNode node, string what) =>
        node is YamlSequenceNode seq ? seq.Children : throw Error(node, $"{what} must be a list");

    public string Str(YamlNode node, string what) =>
        node is YamlScalarNode { Value: { Length: > 0 } v } ? v : throw Error(node, $"{what} must be a non-empty text");

    public double Number(YamlNode node, string what)
    {
        var text = Str(node, what);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && Math.Abs(v) <= 1e12
            ? v
            : throw Error(node, $"{what} '{text}' is not a number (at most 1e12 either way)");
    }

    public int Int(YamlNode node, string what, int min, int max)
    {
        var text = Str(node, what);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw Error(node, $"{what} '{text}' must be a whole number from {min} to {max}");
    }

    public TimeSpan Duration(YamlNode node, string what, TimeSpan max)
    {
        var text = Str(node, what);
        if (Durations.TryParse(text, out var d) && d >= TimeSpan.Zero && d <= max)
        {
            return d;
        }

        throw Error(node, $"{what} '{text}' is not a duration with its unit from 0s to {Durations.Format(max)} (e.g. 30s, 5m, 1h)");
    }

    public double Distance(YamlNode node, string what)
    {
        var text = Str(node, what).Trim();
        var (number, factor) = text.EndsWith("km", StringComparison.Ordinal) ? (text[..^2], 1000.0)
            : text.EndsWith('m') ? (text[..^1], 1.0)
            : (text, 1.0);
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 && v * factor <= 100_000
            ? v * factor
            : throw Error(node, $"{what} '{text}' is not a distance from 0 to 100km (e.g. 800m, 2km)");
    }

    public WarningLevel Level(YamlNode node, string what) =>
        WireNames.TryParseWire<WarningLevel>(Str(node, what), out var level) ? level
        : throw Error(node, $"{what} '{Text(node)}' is not one of {string.Join(", ", WireNames.All<WarningLevel>())}");

    public HashSet<SensorKind> Kinds(YamlNode node)
    {
        var kinds = new HashSet<SensorKind>();
        foreach (var item in Seq(node, "kinds"))
        {
            var name = Str(item, "kind");
            if (!SensorKinds.TryParse(name, out var kind))
            {
                throw Error(item, $"unknown sensor kind '{name}' (known: {string.Join(", ", SensorKinds.All.Select(k => k.WireName()))})");
            }

            kinds.Add(kind);
        }

        return kinds;
    }

    /// <summary>A boolean written <c>true</c> or <c>false</c>.</summary>
    public bool Bool(YamlNode node, string what) => Str(node, what) switch
    {
        "true" => true,
        "false" => false,
        var other => throw Error(node, $"{what} '{other}' must be true or false"),
    };
}

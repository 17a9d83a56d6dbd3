using System.Globalization;
using RiskStream.Core.Registry;
using RiskStream.Scenarios.Engine;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RiskStream.Scenarios.Definitions;

/// <summary>
/// Reads maintenance windows (<c>config/silences.yaml</c>): a list under <c>silences:</c> of site, optional sensor,
/// from, until, declaredBy and reason. Each is checked against the registry; mistakes name file and line.
/// </summary>
public static class SilenceLoader
{
    public static IReadOnlyList<Silence> Load(string path, ParkRegistry registry)
    {
        if (!File.Exists(path))
        {
            throw new ScenarioException($"silences file '{path}' does not exist");
        }

        return Parse(File.ReadAllText(path), path, registry);
    }

    public static IReadOnlyList<Silence> Parse(string yaml, string source, ParkRegistry registry)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ScenarioException($"{source}:{e.Start.Line}: not valid YAML: {e.InnerException?.Message ?? e.Message}");
        }

        if (stream.Documents.Count == 0)
        {
            return [];
        }

        ScenarioException Error(YamlNode node, string reason) => new($"{source}:{node.Start.Line}: {reason}");
        if (stream.Documents[0].RootNode is not YamlMappingNode root || root.Children.Count != 1 || root.Children.Keys.First() is not YamlScalarNode { Value: "silences" })
        {
            throw Error(stream.Documents[0].RootNode, "the file holds one key, 'silences', with a list");
        }

        var list = root.Children.Values.First();
        if (list is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return [];
        }

        if (list is not YamlSequenceNode items)
        {
            throw Error(list, "'silences' must be a list");
        }

        var result = new List<Silence>();
        foreach (var item in items)
        {
            if (item is not YamlMappingNode map)
            {
                throw Error(item, "a silence must be a mapping");
            }

            var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (k, v) in map.Children)
            {
                var key = (k as YamlScalarNode)?.Value ?? "";
                if (key is not ("site" or "sensor" or "from" or "until" or "declaredBy" or "reason"))
                {
                    throw Error(k, $"unknown key '{key}' in a silence (allowed: site, sensor, from, until, declaredBy, reason)");
                }

                fields[key] = v;
            }

            string Need(string key) => fields.TryGetValue(key, out var n) && n is YamlScalarNode { Value: { Length: > 0 } v }
                ? v
                : throw Error(item, $"a silence needs '{key}'");
            DateTimeOffset When(string key) => DateTimeOffset.TryParse(Need(key), CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) && Need(key).Contains('T', StringComparison.Ordinal)
                ? t
                : throw Error(fields[key], $"'{key}' '{Need(key)}' is not an ISO 8601 time with its offset (e.g. 2026-11-29T08:00:00+08:00)");

            var site = Need("site");
            if (!registry.Sites.TryGetValue(site, out var siteDef))
            {
                throw Error(fields["site"], $"site '{site}' is not in the registry");
            }

            string? sensor = fields.ContainsKey("sensor") ? Need("sensor") : null;
            if (sensor is not null && !siteDef.TryGetSensor(sensor, out _))
            {
                throw Error(fields["sensor"], $"site '{site}' has no sensor '{sensor}'");
            }

            var from = When("from");
            var until = When("until");
            if (until <= from)
            {
                throw Error(fields["until"], "'until' must be after 'from'");
            }

            result.Add(new Silence(site, sensor, from, until, Need("declaredBy"), Need("reason")));
        }

        return result;
    }
}

using System.Globalization;
using RiskStream.Core.Registry;
using RiskStream.Scenarios.Engine;
using YamlDotNet.RepresentationModel;

namespace RiskStream.Scenarios.Definitions;

/// <summary>
/// Reads maintenance windows (<c>config/silences.yaml</c>): a list under <c>silences:</c> of site, optional sensor,
/// from, until, declaredBy and reason. Each is checked against the registry; mistakes name file and line.
/// </summary>
public static class SilenceLoader
{
    /// <summary>Most windows one file declares.</summary>
    public const int MaxSilences = 10_000;

    /// <summary>Longest window: a site out of service for longer is a registry change, not a silence.</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(366);

    public static IReadOnlyList<Silence> Load(string path, ParkRegistry registry)
    {
        if (!File.Exists(path))
        {
            throw new ScenarioException($"silences file '{path}' does not exist");
        }

        return Parse(YamlFiles.Read(path), path, registry);
    }

    public static IReadOnlyList<Silence> Parse(string yaml, string source, ParkRegistry registry)
    {
        var document = YamlFiles.Document(yaml, source);
        if (document is null)
        {
            return [];
        }

        var y = new YamlFields(source);
        if (document is not YamlMappingNode root || root.Children.Count != 1 || root.Children.Keys.First() is not YamlScalarNode { Value: "silences" })
        {
            throw y.Error(document, "the file holds one key, 'silences', with a list");
        }

        var list = root.Children.Values.First();
        if (list is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return [];
        }

        var items = y.Seq(list, "'silences'").ToList();
        if (items.Count > MaxSilences)
        {
            throw y.Error(list, $"{items.Count} silences; at most {MaxSilences}");
        }

        return items.Select(item => Silence(y, item, registry)).ToArray();
    }

    private static Silence Silence(YamlFields y, YamlNode item, ParkRegistry registry)
    {
        if (item is not YamlMappingNode)
        {
            throw y.Error(item, "a silence must be a mapping");
        }

        var fields = y.Map(item, "a silence", "site", "sensor", "from", "until", "declaredBy", "reason");
        string Need(string key) => fields.TryGetValue(key, out var n) && n is YamlScalarNode { Value: { Length: > 0 } v }
            ? v
            : throw y.Error(item, $"a silence needs '{key}'");
        DateTimeOffset When(string key) => DateTimeOffset.TryParse(Need(key), CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) && Need(key).Contains('T', StringComparison.Ordinal)
            ? t
            : throw y.Error(fields[key], $"'{key}' '{Need(key)}' is not an ISO 8601 time with its offset (e.g. 2026-11-29T08:00:00+08:00)");

        var site = Need("site");
        if (!registry.Sites.TryGetValue(site, out var siteDef))
        {
            throw y.Error(fields["site"], $"site '{site}' is not in the registry");
        }

        string? sensor = fields.ContainsKey("sensor") ? Need("sensor") : null;
        if (sensor is not null && !siteDef.TryGetSensor(sensor, out _))
        {
            throw y.Error(fields["sensor"], $"site '{site}' has no sensor '{sensor}'");
        }

        var from = When("from");
        var until = When("until");
        if (until <= from)
        {
            throw y.Error(fields["until"], "'until' must be after 'from'");
        }

        if (until - from > MaxLength)
        {
            throw y.Error(fields["until"], $"a silence lasts at most {MaxLength.TotalDays:0} days");
        }

        return new Silence(site, sensor, from, until, Need("declaredBy"), Need("reason"));
    }
}

using RiskStream.Core.Contracts;
using YamlDotNet.RepresentationModel;

namespace RiskStream.Scenarios.Definitions;

/// <summary>Reads the conditions of one scenario file, numbering them in the order read (a condition's tracker).</summary>
internal sealed class ConditionReader(YamlFields y, IReadOnlySet<SensorKind> watched, bool identifications, List<Condition> all)
{
    private static readonly string[] Keys = ["signal", "atLeast", "below", "kinds", "sensors", "for", "repeat", "within", "hazardClasses", "purposes"];

    /// <summary>One alternative of a level: a condition, or <c>all:</c> with conditions that must all hold.</summary>
    public Condition[] Alternative(YamlNode node)
    {
        if (node is YamlMappingNode map && map.Children.Count == 1 && YamlFields.Text(map.Children.Keys.First()) == "all")
        {
            var items = y.Seq(map.Children.Values.First(), "all").Select(Condition).ToArray();
            return items.Length > 0 ? items : throw y.Error(node, "'all' lists no condition");
        }

        return [Condition(node)];
    }

    public Condition Condition(YamlNode node)
    {
        var c = y.Map(node, "a condition", Keys);
        var signalNode = c.TryGetValue("signal", out var s) ? s : throw y.Error(node, "a condition needs 'signal'");
        var signal = WireNames.TryParseWire<Signal>(y.Str(signalNode, "signal"), out var parsed)
            ? parsed
            : throw y.Error(signalNode, $"unknown signal '{YamlFields.Text(signalNode)}' (known: {string.Join(", ", WireNames.All<Signal>())})");
        var condition = new Condition
        {
            Signal = signal,
            AtLeast = Threshold(c, "atLeast", signal),
            Below = Threshold(c, "below", signal),
            Kinds = c.TryGetValue("kinds", out var k) ? y.Kinds(k) : watched,
            Sensors = !c.TryGetValue("sensors", out var n) ? 1 : YamlFields.Text(n) == "all" ? Definitions.Condition.All : y.Int(n, "sensors", 1, 1000),
            For = c.TryGetValue("for", out var f) ? y.Duration(f, "for", TimeSpan.FromDays(1)) : TimeSpan.Zero,
            Line = node.Start.Line is var line and <= int.MaxValue ? (int)line : 0,
        };

        condition = signal == Signal.Identification ? Identification(condition, c, signalNode) : Sensors(condition, c, node, k);
        condition = Repeat(condition, c);
        condition = condition with { Index = all.Count };
        all.Add(condition);
        return condition;
    }

    private double? Threshold(Dictionary<string, YamlNode> c, string key, Signal signal)
    {
        if (!c.TryGetValue(key, out var n))
        {
            return null;
        }

        return signal switch
        {
            Signal.Alarm => WireNames.TryParseWire<AlarmLevel>(YamlFields.Text(n), out var alarm)
                ? (int)alarm
                : throw y.Error(n, $"alarm {key} '{YamlFields.Text(n)}' is not one of {string.Join(", ", WireNames.All<AlarmLevel>())}"),
            Signal.Stale => y.Duration(n, key, TimeSpan.FromDays(1)).TotalSeconds,
            Signal.SiteWarning => WireNames.TryParseWire<WarningLevel>(YamlFields.Text(n), out var level)
                ? (int)level
                : throw y.Error(n, $"site_warning {key} '{YamlFields.Text(n)}' is not one of {string.Join(", ", WireNames.All<WarningLevel>())}"),
            Signal.Silent => y.Number(n, key) is var periods and >= 0.5 and <= 10_000 ? periods : throw y.Error(n, $"silent {key} '{YamlFields.Text(n)}' is a number of reporting periods from 0.5 to 10000"),
            Signal.Intact => y.Number(n, key) is var rate and > 0 and <= 1 ? rate : throw y.Error(n, $"intact {key} '{YamlFields.Text(n)}' is a share above 0 and at most 1"),
            _ => y.Number(n, key),
        };
    }

    private Condition Identification(Condition condition, Dictionary<string, YamlNode> c, YamlNode signalNode)
    {
        if (!identifications)
        {
            throw y.Error(signalNode, "an identification condition needs 'watch.identifications: true'");
        }

        return condition with
        {
            HazardClasses = c.TryGetValue("hazardClasses", out var hc) ? y.Seq(hc, "hazardClasses").Select(x => y.Str(x, "hazard class")).ToHashSet(StringComparer.Ordinal) : new HashSet<string>(),
            Purposes = c.TryGetValue("purposes", out var p) ? y.Seq(p, "purposes").Select(x => y.Str(x, "purpose")).ToHashSet(StringComparer.Ordinal) : new HashSet<string>(),
            Within = c.TryGetValue("within", out var w) ? y.Duration(w, "within", TimeSpan.FromDays(7)) : TimeSpan.FromMinutes(30),
            AtLeast = condition.AtLeast ?? 0,
        };
    }

    private Condition Sensors(Condition condition, Dictionary<string, YamlNode> c, YamlNode node, YamlNode? kinds)
    {
        foreach (var key in new[] { "hazardClasses", "purposes" })
        {
            if (c.TryGetValue(key, out var extra))
            {
                throw y.Error(extra, $"'{key}' applies only to signal identification");
            }
        }

        if (condition.AtLeast is null && condition.Below is null)
        {
            throw y.Error(node, "a condition needs 'atLeast' or 'below'");
        }

        if (condition.Kinds.Count == 0)
        {
            throw y.Error(node, "the condition counts no sensor kind (give 'kinds' or 'watch.kinds')");
        }

        if (!condition.Kinds.IsSubsetOf(watched))
        {
            throw y.Error(kinds ?? node, "a condition may only count kinds the scenario watches (watch.kinds)");
        }

        return condition;
    }

    private Condition Repeat(Condition condition, Dictionary<string, YamlNode> c)
    {
        if (c.TryGetValue("repeat", out var rep))
        {
            return condition with
            {
                Repeat = y.Int(rep, "repeat", 2, 1000),
                RepeatWithin = condition.Signal != Signal.Identification && c.TryGetValue("within", out var w) ? y.Duration(w, "within", TimeSpan.FromDays(1)) : throw y.Error(rep, "'repeat' needs 'within'"),
            };
        }

        if (condition.Signal != Signal.Identification && c.TryGetValue("within", out var stray))
        {
            throw y.Error(stray, "'within' needs 'repeat' (or signal identification)");
        }

        return condition;
    }
}

using System.Globalization;
using RiskStream.Core.Contracts;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RiskStream.Scenarios.Definitions;

/// <summary>
/// Reads scenario files (YAML) into <see cref="ScenarioDefinition"/>s. Every mistake is reported with its file and
/// line; unknown keys are mistakes too, so a misspelt <c>fro:</c> is never silently ignored.
/// </summary>
public static class ScenarioLoader
{
    private static readonly string[] CapCategories = ["Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport", "Infra", "CBRNE", "Other"];

    /// <summary>Loads every <c>*.yaml</c>/<c>*.yml</c> of a folder, in name order.</summary>
    public static ScenarioSet LoadFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new ScenarioException($"scenario folder '{folder}' does not exist");
        }

        var files = Directory.EnumerateFiles(folder, "*.y*ml").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            throw new ScenarioException($"scenario folder '{folder}' holds no *.yaml files");
        }

        var errors = new List<string>();
        var scenarios = new List<ScenarioDefinition>();
        foreach (var file in files)
        {
            try
            {
                scenarios.Add(Parse(File.ReadAllText(file), file));
            }
            catch (ScenarioException e)
            {
                errors.Add(e.Message);
            }
        }

        foreach (var dup in scenarios.GroupBy(s => s.Id).Where(g => g.Count() > 1))
        {
            errors.Add($"scenario id '{dup.Key}' is declared in {string.Join(" and ", dup.Select(s => s.Source))}");
        }

        if (errors.Count > 0)
        {
            throw new ScenarioException(string.Join(Environment.NewLine, errors));
        }

        return new ScenarioSet(scenarios);
    }

    /// <summary>Parses one scenario file's text.</summary>
    public static ScenarioDefinition Parse(string yaml, string source)
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

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ScenarioException($"{source}:1: a scenario file holds one mapping");
        }

        return new Reader(source).Scenario(root);
    }

    private sealed class Reader(string source)
    {
        private ScenarioException Error(YamlNode node, string reason) => new($"{source}:{node.Start.Line}: {reason}");

        private static string Text(YamlNode node) => node is YamlScalarNode { Value: { } v } ? v : "";

        private Dictionary<string, YamlNode> Map(YamlNode node, string what, params string[] allowed)
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

        private IEnumerable<YamlNode> Seq(YamlNode node, string what) =>
            node is YamlSequenceNode seq ? seq.Children : throw Error(node, $"{what} must be a list");

        private string Str(YamlNode node, string what) =>
            node is YamlScalarNode { Value: { Length: > 0 } v } ? v : throw Error(node, $"{what} must be a non-empty text");

        private double Number(YamlNode node, string what)
        {
            var text = Str(node, what);
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
                ? v
                : throw Error(node, $"{what} '{text}' is not a number");
        }

        private int Int(YamlNode node, string what, int min, int max)
        {
            var text = Str(node, what);
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
                ? v
                : throw Error(node, $"{what} '{text}' must be a whole number from {min} to {max}");
        }

        private TimeSpan Duration(YamlNode node, string what, TimeSpan max)
        {
            var text = Str(node, what);
            if (Core.Durations.TryParse(text, out var d) && d >= TimeSpan.Zero && d <= max)
            {
                return d;
            }

            throw Error(node, $"{what} '{text}' is not a duration from 0 to {max} (e.g. 30s, 5m, 1h)");
        }

        private double Distance(YamlNode node, string what)
        {
            var text = Str(node, what).Trim();
            var (number, factor) = text.EndsWith("km", StringComparison.Ordinal) ? (text[..^2], 1000.0)
                : text.EndsWith('m') ? (text[..^1], 1.0)
                : (text, 1.0);
            return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 && v * factor <= 100_000
                ? v * factor
                : throw Error(node, $"{what} '{text}' is not a distance from 0 to 100km (e.g. 800m, 2km)");
        }

        private WarningLevel Level(YamlNode node, string what) => Str(node, what) switch
        {
            "blue" => WarningLevel.Blue,
            "yellow" => WarningLevel.Yellow,
            "orange" => WarningLevel.Orange,
            "red" => WarningLevel.Red,
            var other => throw Error(node, $"{what} '{other}' is not one of blue, yellow, orange, red"),
        };

        private HashSet<SensorKind> Kinds(YamlNode node)
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

        public ScenarioDefinition Scenario(YamlMappingNode root)
        {
            var m = Map(root, "the scenario", "id", "title", "cap", "watch", "levels", "clear", "minActive", "flapping", "escalation", "radius", "assistance", "actions");
            YamlNode Need(string key) => m.TryGetValue(key, out var n) ? n : throw Error(root, $"'{key}' is required");

            var id = Str(Need("id"), "id");
            if (!id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            {
                throw Error(Need("id"), $"id '{id}' may hold only a-z, 0-9 and _");
            }

            var watch = Map(Need("watch"), "watch", "kinds", "identifications");
            var kinds = watch.TryGetValue("kinds", out var k) ? Kinds(k) : [];
            var identifications = watch.TryGetValue("identifications", out var idn) && Str(idn, "identifications") switch
            {
                "true" => true,
                "false" => false,
                var other => throw Error(idn, $"identifications '{other}' must be true or false"),
            };
            if (kinds.Count == 0 && !identifications)
            {
                throw Error(Need("watch"), "watch names no sensor kinds and no identifications: the scenario could never fire");
            }

            var cap = Map(Need("cap"), "cap", "event", "category");
            var category = cap.TryGetValue("category", out var cat) ? Str(cat, "cap category") : "Safety";
            if (!CapCategories.Contains(category))
            {
                throw Error(cat!, $"cap category '{category}' is not a CAP 1.2 category ({string.Join(", ", CapCategories)})");
            }

            var all = new List<Condition>();
            var levelsNode = Map(Need("levels"), "levels", "blue", "yellow", "orange", "red");
            var levels = new Condition[5][][];
            levels[0] = [];
            foreach (var level in new[] { WarningLevel.Blue, WarningLevel.Yellow, WarningLevel.Orange, WarningLevel.Red })
            {
                var name = level.Wire();
                levels[(int)level] = levelsNode.TryGetValue(name, out var alternatives)
                    ? Seq(alternatives, $"levels.{name}").Select(a => Alternative(a, kinds, identifications, all)).ToArray()
                    : [];
            }

            var levelConditions = all.Count;
            if (levels.Skip(1).All(l => l.Length == 0))
            {
                throw Error(Need("levels"), "levels define no condition for any level");
            }

            var definition = new ScenarioDefinition
            {
                Id = id,
                Title = Str(Need("title"), "title"),
                Source = source,
                CapEvent = Str(cap.TryGetValue("event", out var ev) ? ev : throw Error(Need("cap"), "'cap.event' is required"), "cap event"),
                CapCategory = category,
                Kinds = kinds,
                WatchesIdentifications = identifications,
                Levels = levels,
                RadiusM = m.TryGetValue("radius", out var r) ? Distance(r, "radius") : 0,
                MinActive = m.TryGetValue("minActive", out var ma) ? Duration(ma, "minActive", TimeSpan.FromDays(1)) : TimeSpan.FromSeconds(60),
            };

            if (m.TryGetValue("clear", out var clearNode))
            {
                var clear = Map(clearNode, "clear", "for", "when");
                definition = definition with
                {
                    ClearFor = clear.TryGetValue("for", out var f) ? Duration(f, "clear.for", TimeSpan.FromDays(1)) : definition.ClearFor,
                    ClearWhen = clear.TryGetValue("when", out var w) ? Seq(w, "clear.when").Select(c => Condition(c, kinds, identifications, all)).ToArray() : [],
                };
            }

            if (m.TryGetValue("flapping", out var flapNode))
            {
                var flap = Map(flapNode, "flapping", "changes", "within");
                definition = definition with
                {
                    FlappingChanges = flap.TryGetValue("changes", out var c) ? Int(c, "flapping.changes", 2, 1000) : definition.FlappingChanges,
                    FlappingWithin = flap.TryGetValue("within", out var w) ? Duration(w, "flapping.within", TimeSpan.FromDays(1)) : definition.FlappingWithin,
                };
            }

            if (m.TryGetValue("escalation", out var escNode))
            {
                var esc = Map(escNode, "escalation", "ackWithin", "then");
                definition = definition with
                {
                    AckWithin = esc.TryGetValue("ackWithin", out var a) ? Duration(a, "escalation.ackWithin", TimeSpan.FromDays(1)) : throw Error(escNode, "'escalation.ackWithin' is required"),
                    Escalation = !esc.TryGetValue("then", out var t) ? EscalationAction.RaiseLevel : Str(t, "escalation.then") switch
                    {
                        "raise_level" => EscalationAction.RaiseLevel,
                        "add_parent" => EscalationAction.AddParent,
                        var other => throw Error(t, $"escalation.then '{other}' is neither raise_level nor add_parent"),
                    },
                };
            }

            if (m.TryGetValue("assistance", out var asNode))
            {
                var assist = Map(asNode, "assistance", "capabilities", "from", "request");
                definition = definition with
                {
                    AssistanceCapabilities = assist.TryGetValue("capabilities", out var caps) ? Seq(caps, "assistance.capabilities").Select(c => Str(c, "capability")).ToArray() : throw Error(asNode, "'assistance.capabilities' is required"),
                    AssistanceFrom = assist.TryGetValue("from", out var from) ? Level(from, "assistance.from") : WarningLevel.Orange,
                    AssistanceRequest = assist.TryGetValue("request", out var req) ? Str(req, "assistance.request") : throw Error(asNode, "'assistance.request' is required"),
                };
            }

            if (m.TryGetValue("actions", out var actNode))
            {
                var acts = Map(actNode, "actions", "jurisdiction", "higher", "owner", "neighbour", "assisting", "resolved");
                var list = new List<RoleAction>();
                foreach (var (role, node) in acts)
                {
                    if (role == "resolved")
                    {
                        definition = definition with { ResolvedActions = Seq(node, "actions.resolved").Select(n => Str(n, "action")).ToArray() };
                        continue;
                    }

                    var audienceRole = Enum.Parse<AudienceRole>(role, ignoreCase: true);
                    foreach (var item in Seq(node, $"actions.{role}"))
                    {
                        if (item is YamlScalarNode)
                        {
                            list.Add(new RoleAction(audienceRole, WarningLevel.Blue, Str(item, "action")));
                        }
                        else
                        {
                            var a = Map(item, "an action", "from", "do");
                            list.Add(new RoleAction(
                                audienceRole,
                                a.TryGetValue("from", out var f) ? Level(f, "action from") : WarningLevel.Blue,
                                Str(a.TryGetValue("do", out var d) ? d : throw Error(item, "an action needs 'do'"), "action")));
                        }
                    }
                }

                definition = definition with { Actions = list };
            }

            return definition with { AllConditions = [.. all], LevelConditionCount = levelConditions };
        }

        private Condition[] Alternative(YamlNode node, IReadOnlySet<SensorKind> kinds, bool identifications, List<Condition> all)
        {
            if (node is YamlMappingNode map && map.Children.Count == 1 && Text(map.Children.Keys.First()) == "all")
            {
                var items = Seq(map.Children.Values.First(), "all").Select(c => Condition(c, kinds, identifications, all)).ToArray();
                return items.Length > 0 ? items : throw Error(node, "'all' lists no condition");
            }

            return [Condition(node, kinds, identifications, all)];
        }

        private Condition Condition(YamlNode node, IReadOnlySet<SensorKind> watched, bool identifications, List<Condition> all)
        {
            var c = Map(node, "a condition", "signal", "atLeast", "below", "kinds", "sensors", "for", "repeat", "within", "hazardClasses", "purposes");
            var signalNode = c.TryGetValue("signal", out var s) ? s : throw Error(node, "a condition needs 'signal'");
            var signal = Str(signalNode, "signal") switch
            {
                "alarm" => Signal.Alarm,
                "risk" => Signal.Risk,
                "ratio" => Signal.Ratio,
                "stale" => Signal.Stale,
                "flat" => Signal.Flat,
                "identification" => Signal.Identification,
                "anomaly" => Signal.Anomaly,
                var other => throw Error(signalNode, $"unknown signal '{other}' (known: alarm, risk, ratio, stale, flat, anomaly, identification)"),
            };

            double? Threshold(string key) => c.TryGetValue(key, out var n)
                ? signal == Signal.Alarm
                    ? Text(n) switch
                    {
                        "none" => 0,
                        "first" => 1,
                        "second" => 2,
                        var other => throw Error(n, $"alarm {key} '{other}' is not one of none, first, second"),
                    }
                    : signal == Signal.Stale ? Duration(n, key, TimeSpan.FromDays(1)).TotalSeconds : Number(n, key)
                : null;

            var condition = new Condition
            {
                Signal = signal,
                AtLeast = Threshold("atLeast"),
                Below = Threshold("below"),
                Kinds = c.TryGetValue("kinds", out var k) ? Kinds(k) : watched,
                Sensors = !c.TryGetValue("sensors", out var n) ? 1 : Text(n) == "all" ? Definitions.Condition.All : Int(n, "sensors", 1, 1000),
                For = c.TryGetValue("for", out var f) ? Duration(f, "for", TimeSpan.FromDays(1)) : TimeSpan.Zero,
                Line = node.Start.Line is var line and <= int.MaxValue ? (int)line : 0,
            };

            if (signal == Signal.Identification)
            {
                if (!identifications)
                {
                    throw Error(signalNode, "an identification condition needs 'watch.identifications: true'");
                }

                condition = condition with
                {
                    HazardClasses = c.TryGetValue("hazardClasses", out var hc) ? Seq(hc, "hazardClasses").Select(x => Str(x, "hazard class")).ToHashSet(StringComparer.Ordinal) : new HashSet<string>(),
                    Purposes = c.TryGetValue("purposes", out var p) ? Seq(p, "purposes").Select(x => Str(x, "purpose")).ToHashSet(StringComparer.Ordinal) : new HashSet<string>(),
                    Within = c.TryGetValue("within", out var w) ? Duration(w, "within", TimeSpan.FromDays(7)) : TimeSpan.FromMinutes(30),
                    AtLeast = condition.AtLeast ?? 0,
                };
            }
            else
            {
                foreach (var key in new[] { "hazardClasses", "purposes" })
                {
                    if (c.TryGetValue(key, out var extra))
                    {
                        throw Error(extra, $"'{key}' applies only to signal identification");
                    }
                }

                if (condition.AtLeast is null && condition.Below is null)
                {
                    throw Error(node, "a condition needs 'atLeast' or 'below'");
                }

                if (condition.Kinds.Count == 0)
                {
                    throw Error(node, "the condition counts no sensor kind (give 'kinds' or 'watch.kinds')");
                }

                if (!condition.Kinds.IsSubsetOf(watched))
                {
                    throw Error(k ?? node, "a condition may only count kinds the scenario watches (watch.kinds)");
                }
            }

            if (c.TryGetValue("repeat", out var rep))
            {
                condition = condition with
                {
                    Repeat = Int(rep, "repeat", 2, 1000),
                    RepeatWithin = signal != Signal.Identification && c.TryGetValue("within", out var w) ? Duration(w, "within", TimeSpan.FromDays(1)) : throw Error(rep, "'repeat' needs 'within'"),
                };
            }
            else if (signal != Signal.Identification && c.TryGetValue("within", out var stray))
            {
                throw Error(stray, "'within' needs 'repeat' (or signal identification)");
            }

            condition = condition with { Index = all.Count };
            all.Add(condition);
            return condition;
        }
    }
}

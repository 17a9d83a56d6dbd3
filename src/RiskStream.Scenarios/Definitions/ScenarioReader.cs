using RiskStream.Core.Contracts;
using YamlDotNet.RepresentationModel;

namespace RiskStream.Scenarios.Definitions;

/// <summary>Reads one scenario file's mapping into a <see cref="ScenarioDefinition"/>, part by part.</summary>
internal sealed class ScenarioReader(string source)
{
    private static readonly string[] CapCategories = ["Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport", "Infra", "CBRNE", "Other"];
    private static readonly string[] Keys = ["id", "title", "cap", "watch", "levels", "clear", "minActive", "flapping", "escalation", "radius", "assistance", "actions", "response", "translations"];
    private readonly YamlFields _y = new(source);
    private readonly List<Condition> _all = [];

    public ScenarioDefinition Scenario(YamlMappingNode root)
    {
        var m = _y.Map(root, "the scenario", Keys);
        YamlNode Need(string key) => m.TryGetValue(key, out var n) ? n : throw _y.Error(root, $"'{key}' is required");

        var id = _y.Str(Need("id"), "id");
        if (id.Length > 64 || !id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
        {
            throw _y.Error(Need("id"), $"id '{id}' may hold only a-z, 0-9 and _, at most 64 of them");
        }

        var (kinds, identifications) = Watch(Need("watch"));
        var (capEvent, category) = Cap(Need("cap"));
        var conditions = new ConditionReader(_y, kinds, identifications, _all);
        var definition = new ScenarioDefinition
        {
            Id = id,
            Title = _y.Str(Need("title"), "title"),
            Source = source,
            CapEvent = capEvent,
            CapCategory = category,
            Kinds = kinds,
            WatchesIdentifications = identifications,
            Levels = Levels(Need("levels"), conditions),
            RadiusM = m.TryGetValue("radius", out var r) ? _y.Distance(r, "radius") : 0,
            MinActive = m.TryGetValue("minActive", out var ma) ? _y.Duration(ma, "minActive", TimeSpan.FromDays(1)) : TimeSpan.FromSeconds(60),
        };
        var levelConditions = _all.Count;
        definition = m.TryGetValue("clear", out var clear) ? Clear(definition, clear, conditions) : definition;
        definition = m.TryGetValue("flapping", out var flapping) ? Flapping(definition, flapping) : definition;
        definition = m.TryGetValue("escalation", out var escalation) ? Escalation(definition, escalation) : definition;
        definition = m.TryGetValue("response", out var response) ? Response(definition, response) : definition;
        definition = m.TryGetValue("assistance", out var assistance) ? Assistance(definition, assistance) : definition;
        definition = m.TryGetValue("actions", out var actions) ? Actions(definition, actions) : definition;
        definition = m.TryGetValue("translations", out var translations) ? Translations(definition, translations) : definition;
        return definition with { AllConditions = [.. _all], LevelConditionCount = levelConditions };
    }

    private (HashSet<SensorKind> Kinds, bool Identifications) Watch(YamlNode node)
    {
        var watch = _y.Map(node, "watch", "kinds", "identifications");
        var kinds = watch.TryGetValue("kinds", out var k) ? _y.Kinds(k) : [];
        var identifications = watch.TryGetValue("identifications", out var idn) && _y.Bool(idn, "identifications");
        if (kinds.Count == 0 && !identifications)
        {
            throw _y.Error(node, "watch names no sensor kinds and no identifications: the scenario could never fire");
        }

        return (kinds, identifications);
    }

    private (string Event, string Category) Cap(YamlNode node)
    {
        var cap = _y.Map(node, "cap", "event", "category");
        var category = cap.TryGetValue("category", out var cat) ? _y.Str(cat, "cap category") : "Safety";
        if (!CapCategories.Contains(category))
        {
            throw _y.Error(cat!, $"cap category '{category}' is not a CAP 1.2 category ({string.Join(", ", CapCategories)})");
        }

        return (_y.Str(cap.TryGetValue("event", out var ev) ? ev : throw _y.Error(node, "'cap.event' is required"), "cap event"), category);
    }

    private Condition[][][] Levels(YamlNode node, ConditionReader conditions)
    {
        var levelsNode = _y.Map(node, "levels", [.. WireNames.All<WarningLevel>()]);
        var levels = new Condition[5][][];
        levels[0] = [];
        foreach (var level in Enum.GetValues<WarningLevel>())
        {
            var name = level.Wire();
            levels[(int)level] = levelsNode.TryGetValue(name, out var alternatives)
                ? _y.Seq(alternatives, $"levels.{name}").Select(conditions.Alternative).ToArray()
                : [];
        }

        return levels.Skip(1).All(l => l.Length == 0) ? throw _y.Error(node, "levels define no condition for any level") : levels;
    }

    private ScenarioDefinition Clear(ScenarioDefinition definition, YamlNode node, ConditionReader conditions)
    {
        var clear = _y.Map(node, "clear", "for", "when");
        return definition with
        {
            ClearFor = clear.TryGetValue("for", out var f) ? _y.Duration(f, "clear.for", TimeSpan.FromDays(1)) : definition.ClearFor,
            ClearWhen = clear.TryGetValue("when", out var w) ? _y.Seq(w, "clear.when").Select(conditions.Condition).ToArray() : [],
        };
    }

    private ScenarioDefinition Flapping(ScenarioDefinition definition, YamlNode node)
    {
        var flap = _y.Map(node, "flapping", "changes", "within");
        return definition with
        {
            FlappingChanges = flap.TryGetValue("changes", out var c) ? _y.Int(c, "flapping.changes", 2, 1000) : definition.FlappingChanges,
            FlappingWithin = flap.TryGetValue("within", out var w) ? _y.Duration(w, "flapping.within", TimeSpan.FromDays(1)) : definition.FlappingWithin,
        };
    }

    private ScenarioDefinition Escalation(ScenarioDefinition definition, YamlNode node)
    {
        // ackWithin: one acknowledgement deadline for every level (a response block gives them per level instead).
        var esc = _y.Map(node, "escalation", "ackWithin", "then");
        var response = definition.Response;
        if (esc.TryGetValue("ackWithin", out var a))
        {
            var within = _y.Duration(a, "escalation.ackWithin", TimeSpan.FromDays(1));
            response = response with { Acknowledge = [TimeSpan.Zero, within, within, within, within] };
        }

        return definition with
        {
            Response = response,
            Escalation = !esc.TryGetValue("then", out var t) ? EscalationAction.RaiseLevel : _y.Str(t, "escalation.then") switch
            {
                "raise_level" => EscalationAction.RaiseLevel,
                "add_parent" => EscalationAction.AddParent,
                var other => throw _y.Error(t, $"escalation.then '{other}' is neither raise_level nor add_parent"),
            },
        };
    }

    private ScenarioDefinition Response(ScenarioDefinition definition, YamlNode node)
    {
        var r = _y.Map(node, "response", "acknowledge", "remindAt", "dispose", "confirmFrom", "shelveMax", "assistanceAnswer");
        var p = definition.Response;
        return definition with
        {
            Response = p with
            {
                Acknowledge = r.TryGetValue("acknowledge", out var ack) ? PerLevel(ack, "response.acknowledge", p.Acknowledge) : p.Acknowledge,
                RemindAt = r.TryGetValue("remindAt", out var remind) ? Fraction(remind, "response.remindAt") : p.RemindAt,
                Dispose = r.TryGetValue("dispose", out var d) ? _y.Duration(d, "response.dispose", TimeSpan.FromDays(90)) : p.Dispose,
                ConfirmFrom = r.TryGetValue("confirmFrom", out var c) ? _y.Level(c, "response.confirmFrom") : p.ConfirmFrom,
                ShelveMax = r.TryGetValue("shelveMax", out var sm) ? PerLevel(sm, "response.shelveMax", p.ShelveMax) : p.ShelveMax,
                AssistanceAnswer = r.TryGetValue("assistanceAnswer", out var aa) ? _y.Duration(aa, "response.assistanceAnswer", TimeSpan.FromDays(1)) : p.AssistanceAnswer,
            },
        };
    }

    /// <summary>A duration per level: <c>{ blue: 30m, yellow: 15m, orange: 5m, red: 2m }</c> (levels left out keep their default).</summary>
    private TimeSpan[] PerLevel(YamlNode node, string what, TimeSpan[] defaults)
    {
        var levels = _y.Map(node, what, "blue", "yellow", "orange", "red");
        var result = (TimeSpan[])defaults.Clone();
        foreach (var (name, value) in levels)
        {
            var level = (int)Enum.Parse<WarningLevel>(name, ignoreCase: true);
            result[level] = _y.Duration(value, $"{what}.{name}", TimeSpan.FromDays(7));
        }

        return result;
    }

    private double Fraction(YamlNode node, string what)
    {
        var v = _y.Number(node, what);
        return v is >= 0 and < 1 ? v : throw _y.Error(node, $"{what} {v} is not a share of the deadline in [0, 1)");
    }

    private ScenarioDefinition Assistance(ScenarioDefinition definition, YamlNode node)
    {
        var assist = _y.Map(node, "assistance", "capabilities", "from", "request");
        return definition with
        {
            AssistanceCapabilities = assist.TryGetValue("capabilities", out var caps) ? _y.Seq(caps, "assistance.capabilities").Select(c => _y.Str(c, "capability")).ToArray() : throw _y.Error(node, "'assistance.capabilities' is required"),
            AssistanceFrom = assist.TryGetValue("from", out var from) ? _y.Level(from, "assistance.from") : WarningLevel.Orange,
            AssistanceRequest = assist.TryGetValue("request", out var req) ? _y.Str(req, "assistance.request") : throw _y.Error(node, "'assistance.request' is required"),
        };
    }

    private ScenarioDefinition Actions(ScenarioDefinition definition, YamlNode node)
    {
        var acts = _y.Map(node, "actions", "jurisdiction", "higher", "owner", "neighbour", "assisting", "resolved");
        var list = new List<RoleAction>();
        foreach (var (role, items) in acts)
        {
            if (role == "resolved")
            {
                definition = definition with { ResolvedActions = _y.Seq(items, "actions.resolved").Select(n => _y.Str(n, "action")).ToArray() };
                continue;
            }

            var audienceRole = Enum.Parse<AudienceRole>(role, ignoreCase: true);
            foreach (var item in _y.Seq(items, $"actions.{role}"))
            {
                if (item is YamlScalarNode)
                {
                    list.Add(new RoleAction(audienceRole, WarningLevel.Blue, _y.Str(item, "action")));
                    continue;
                }

                var a = _y.Map(item, "an action", "from", "do");
                list.Add(new RoleAction(
                    audienceRole,
                    a.TryGetValue("from", out var f) ? _y.Level(f, "action from") : WarningLevel.Blue,
                    _y.Str(a.TryGetValue("do", out var d) ? d : throw _y.Error(item, "an action needs 'do'"), "action")));
            }
        }

        return definition with { Actions = list };
    }

    /// <summary>
    /// <c>translations: { zh-CN: { title, capEvent, assistanceRequest, actions: { "English action": "translation" } } }</c>:
    /// complete (every text the scenario shows people) and current (no translation of a text the file no longer has).
    /// </summary>
    private ScenarioDefinition Translations(ScenarioDefinition definition, YamlNode node)
    {
        var result = new Dictionary<string, ScenarioTranslation>(StringComparer.Ordinal);
        foreach (var (language, body) in _y.Map(node, "translations", ScenarioTranslation.Languages))
        {
            var t = _y.Map(body, $"translations.{language}", "title", "capEvent", "assistanceRequest", "actions");
            string Need(string key) => t.TryGetValue(key, out var n) ? _y.Str(n, $"translations.{language}.{key}") : throw _y.Error(body, $"translations.{language}: '{key}' is required");
            var request = definition.AssistanceRequest.Length > 0 ? Need("assistanceRequest")
                : t.TryGetValue("assistanceRequest", out var stray) ? throw _y.Error(stray, $"translations.{language}.assistanceRequest: the scenario asks for no assistance") : null;
            var actions = new Dictionary<string, string>(StringComparer.Ordinal);
            if (t.TryGetValue("actions", out var acts))
            {
                foreach (var (english, translated) in _y.Pairs(acts, $"translations.{language}.actions"))
                {
                    actions[english] = _y.Str(translated, $"translations.{language}.actions");
                }
            }

            var texts = definition.Actions.Select(a => a.Text).Concat(definition.ResolvedActions).ToHashSet(StringComparer.Ordinal);
            if (texts.FirstOrDefault(x => !actions.ContainsKey(x)) is { } missing)
            {
                throw _y.Error(body, $"translations.{language}: the action '{missing}' has no translation");
            }

            if (actions.Keys.FirstOrDefault(x => !texts.Contains(x)) is { } stale)
            {
                throw _y.Error(body, $"translations.{language}: '{stale}' is not one of this scenario's actions (changed or removed?)");
            }

            result[language] = new ScenarioTranslation(Need("title"), Need("capEvent"), request, actions);
        }

        return definition with { Translations = result };
    }
}

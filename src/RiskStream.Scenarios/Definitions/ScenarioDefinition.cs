using RiskStream.Core.Contracts;

namespace RiskStream.Scenarios.Definitions;

/// <summary>A scenario file (<c>config/scenarios/*.yaml</c>) after validation.</summary>
public sealed record ScenarioDefinition
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    /// <summary>Where it was loaded from.</summary>
    public required string Source { get; init; }

    /// <summary>CAP <c>event</c> text and <c>category</c> (Geo, Met, Safety, Security, Rescue, Fire, Health, Env, Transport, Infra, CBRNE, Other).</summary>
    public required string CapEvent { get; init; }

    public required string CapCategory { get; init; }

    /// <summary>Sensor kinds whose readings this scenario watches.</summary>
    public required IReadOnlySet<SensorKind> Kinds { get; init; }

    /// <summary>Whether Raman identifications feed it.</summary>
    public bool WatchesIdentifications { get; init; }

    /// <summary>
    /// Per level (index = <see cref="WarningLevel"/> value, 1 blue .. 4 red): alternatives, each a set of conditions
    /// that must all hold. The highest level with one alternative holding is the target.
    /// </summary>
    public required Condition[][][] Levels { get; init; }

    /// <summary>Conditions that must all hold, for <see cref="ClearFor"/>, before the warning resolves (none: no level holds).</summary>
    public Condition[] ClearWhen { get; init; } = [];

    /// <summary>How long a lower level (or none) must last before the warning de-escalates or resolves.</summary>
    public TimeSpan ClearFor { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A warning is not resolved before it has been active this long.</summary>
    public TimeSpan MinActive { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Flapping: more than this many changes of the evaluated level within <see cref="FlappingWithin"/>.</summary>
    public int FlappingChanges { get; init; } = 6;

    public TimeSpan FlappingWithin { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Response deadlines: acknowledgement per level, reminders, disposition, shelving, assistance answers.</summary>
    public ResponsePolicy Response { get; init; } = new();

    /// <summary>Nobody (owner or regulator) acknowledged within this long at the warning's level (zero: never escalate).</summary>
    public TimeSpan AckWithin(WarningLevel level) => Response.AcknowledgeWithin(level);

    public EscalationAction Escalation { get; init; } = EscalationAction.RaiseLevel;

    /// <summary>Neighbouring enterprises with a site within this many metres are audiences.</summary>
    public double RadiusM { get; init; }

    /// <summary>Capabilities asked of engaged enterprises from <see cref="AssistanceFrom"/> up.</summary>
    public IReadOnlyList<string> AssistanceCapabilities { get; init; } = [];

    public WarningLevel AssistanceFrom { get; init; } = WarningLevel.Orange;

    public string AssistanceRequest { get; init; } = "";

    public IReadOnlyList<RoleAction> Actions { get; init; } = [];

    /// <summary>Actions for every audience once resolved.</summary>
    public IReadOnlyList<string> ResolvedActions { get; init; } = [];

    /// <summary>The scenario's texts in other languages, by language (<see cref="ScenarioTranslation.Languages"/>).</summary>
    public IReadOnlyDictionary<string, ScenarioTranslation> Translations { get; init; } = new Dictionary<string, ScenarioTranslation>();

    /// <summary>The title in <paramref name="language"/> (the file's English when it has no translation into it).</summary>
    public string TitleIn(string language) => Translations.TryGetValue(language, out var t) ? t.Title : Title;

    /// <summary>An action's text in <paramref name="language"/> (as given when the scenario has no translation of it).</summary>
    public string ActionIn(string action, string language) => Translations.TryGetValue(language, out var t) && t.Actions.TryGetValue(action, out var text) ? text : action;

    /// <summary>Every condition of the levels, then the clear conditions: the index of a condition's tracker.</summary>
    public Condition[] AllConditions { get; init; } = [];

    /// <summary>How many of <see cref="AllConditions"/>, from the start, belong to the levels (the rest are clear conditions).</summary>
    public int LevelConditionCount { get; init; }

    /// <summary>Actions for one role at one level.</summary>
    public IReadOnlyList<string> ActionsFor(AudienceRole role, WarningLevel level, WarningStatus status) =>
        status == WarningStatus.Resolved
            ? ResolvedActions
            : Actions.Where(a => a.Role == role && a.From <= level).Select(a => a.Text).ToArray();
}

using RiskStream.Core.Contracts;

namespace RiskStream.Scenarios.Definitions;

/// <summary>What a condition looks at.</summary>
public enum Signal
{
    /// <summary>National alarm level of a sensor: 0 none, 1 first, 2 second.</summary>
    Alarm,

    /// <summary>Risk in [0, 1] from the served model.</summary>
    Risk,

    /// <summary>Value over the sensor's second-level setpoint (2 = twice the setpoint).</summary>
    Ratio,

    /// <summary>Seconds since the sensor's last reading, against the site's newest reading.</summary>
    Stale,

    /// <summary>1 when the sensor's window holds at least five readings that are all the same value (stuck), else 0.</summary>
    Flat,

    /// <summary>A Raman identification at the site (hazard class, purpose, score).</summary>
    Identification,

    /// <summary>1 when the risk model's anomaly detector takes the sensor's latest reading for a sensor fault, else 0.</summary>
    Anomaly,
}

/// <summary>Which parties an audience entry stands for, for actions per role.</summary>
public enum AudienceRole
{
    Jurisdiction,
    Higher,
    Owner,
    Neighbour,
    Assisting,
}

/// <summary>What happens when nobody acknowledges a warning in time.</summary>
public enum EscalationAction
{
    /// <summary>The level rises by one (up to red).</summary>
    RaiseLevel,

    /// <summary>The next jurisdiction up that is not yet an audience is added.</summary>
    AddParent,
}

/// <summary>
/// One condition of a scenario: how many sensors (of some kinds) have a signal at or above, or below, a threshold,
/// for how long, and how often.
/// </summary>
public sealed record Condition
{
    public required Signal Signal { get; init; }

    /// <summary>Holds for a sensor when its signal is at least this (inclusive).</summary>
    public double? AtLeast { get; init; }

    /// <summary>Holds for a sensor when its signal is below this (exclusive).</summary>
    public double? Below { get; init; }

    /// <summary>Sensor kinds it counts; the scenario's watched kinds when not given.</summary>
    public required IReadOnlySet<SensorKind> Kinds
    {
        get;
        init
        {
            field = value;
            KindMask = value.Aggregate(0u, (mask, kind) => mask | (1u << (int)kind));
        }
    }

    /// <summary><see cref="Kinds"/> as a bit per kind, for the hot path.</summary>
    public uint KindMask { get; private init; }

    public bool Counts(SensorKind kind) => (KindMask & (1u << (int)kind)) != 0;

    /// <summary>How many sensors must satisfy it; <see cref="All"/> for every sensor of the kinds at the site.</summary>
    public int Sensors { get; init; } = 1;

    public const int All = -1;

    /// <summary>How long it must hold without a break (event time).</summary>
    public TimeSpan For { get; init; }

    /// <summary>How many times it must have become true within <see cref="RepeatWithin"/> (0: no repeat rule).</summary>
    public int Repeat { get; init; }

    public TimeSpan RepeatWithin { get; init; }

    /// <summary>Identification only: hazard classes that count (any when empty).</summary>
    public IReadOnlySet<string> HazardClasses { get; init; } = new HashSet<string>();

    /// <summary>Identification only: purposes that count (any when empty).</summary>
    public IReadOnlySet<string> Purposes { get; init; } = new HashSet<string>();

    /// <summary>Identification only: how long an identification keeps counting after it was made.</summary>
    public TimeSpan Within { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Position in <see cref="ScenarioDefinition.AllConditions"/>: the index of its tracker.</summary>
    public int Index { get; init; }

    /// <summary>Line in the scenario file, for messages.</summary>
    public int Line { get; init; }

    /// <summary>Whether one sensor value satisfies the threshold.</summary>
    public bool Satisfies(double value) =>
        !double.IsNaN(value) && (AtLeast is not { } min || value >= min) && (Below is not { } max || value < max);
}

/// <summary>An action recommended to a role from a level up.</summary>
public sealed record RoleAction(AudienceRole Role, WarningLevel From, string Text);

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

    /// <summary>Nobody acknowledged within this long (zero: never escalate).</summary>
    public TimeSpan AckWithin { get; init; }

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

/// <summary>The loaded scenario files; a scenario's index is its position here.</summary>
public sealed class ScenarioSet
{
    public ScenarioSet(IReadOnlyList<ScenarioDefinition> scenarios)
    {
        Scenarios = scenarios;
        var byKind = new List<int>[Enum.GetValues<SensorKind>().Max(k => (int)k) + 1];
        for (var i = 0; i < byKind.Length; i++)
        {
            byKind[i] = [];
        }

        for (var i = 0; i < scenarios.Count; i++)
        {
            foreach (var kind in scenarios[i].Kinds)
            {
                byKind[(int)kind].Add(i);
            }
        }

        ByKind = byKind.Select(l => l.ToArray()).ToArray();
        FloorByKind = Enumerable.Range(0, byKind.Length).Select(k => WakeFloor.Of((SensorKind)k, scenarios)).ToArray();
        ForIdentifications = scenarios.Select((s, i) => (s, i)).Where(x => x.s.WatchesIdentifications).Select(x => x.i).ToArray();
    }

    public IReadOnlyList<ScenarioDefinition> Scenarios { get; }

    /// <summary>Every condition on the model's risk, in any scenario (their thresholds are the operating point the served model is evaluated at).</summary>
    public IEnumerable<Condition> RiskConditions => Scenarios.SelectMany(s => s.AllConditions).Where(c => c.Signal == Signal.Risk);

    /// <summary>Indexes of the scenarios that watch a kind, by <see cref="SensorKind"/> value.</summary>
    public int[][] ByKind { get; }

    public int[] ForIdentifications { get; }

    /// <summary>Per kind: below these, a reading of that kind can wake no resting scenario.</summary>
    public WakeFloor[] FloorByKind { get; }

    public int IndexOf(string id)
    {
        for (var i = 0; i < Scenarios.Count; i++)
        {
            if (Scenarios[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>
/// The least a reading of one kind must show to satisfy any level condition that counts it (in any scenario):
/// a calm reading below every floor can wake no resting scenario, so the engine skips them all.
/// </summary>
public readonly record struct WakeFloor(double Alarm, double Risk, double Ratio, bool Flat, bool Always, double StaleSeconds, bool Anomaly = false)
{
    public static WakeFloor Of(SensorKind kind, IReadOnlyList<ScenarioDefinition> scenarios)
    {
        double alarm = double.PositiveInfinity, risk = double.PositiveInfinity, ratio = double.PositiveInfinity, stale = double.PositiveInfinity;
        bool flat = false, always = false, anomaly = false;
        foreach (var def in scenarios)
        {
            if (!def.Kinds.Contains(kind))
            {
                continue;
            }

            for (var i = 0; i < def.LevelConditionCount; i++)
            {
                var c = def.AllConditions[i];
                if (c.Signal == Signal.Identification)
                {
                    continue;
                }

                if (c.Signal == Signal.Stale)
                {
                    // Any sensor of the site may go stale while this one reports.
                    stale = Math.Min(stale, c.AtLeast ?? 0);
                    always |= c.AtLeast is null;
                    continue;
                }

                if (!c.Counts(kind))
                {
                    continue;
                }

                if (c.AtLeast is not { } min)
                {
                    always = true;
                    continue;
                }

                switch (c.Signal)
                {
                    case Signal.Alarm: alarm = Math.Min(alarm, min); break;
                    case Signal.Risk: risk = Math.Min(risk, min); break;
                    case Signal.Ratio: ratio = Math.Min(ratio, min); break;
                    case Signal.Flat: flat |= min <= 1; break;
                    case Signal.Anomaly: anomaly |= min <= 1; break;
                }
            }
        }

        return new WakeFloor(alarm, risk, ratio, flat, always, stale, anomaly);
    }
}

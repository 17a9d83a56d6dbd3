using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;

namespace RiskStream.Scenarios;

/// <summary>Options of the setpoint warnings.</summary>
public sealed record SetpointWarningOptions
{
    /// <summary>How long (event time) a lower level must hold before a warning de-escalates or resolves.</summary>
    public TimeSpan ClearHold { get; init; } = TimeSpan.FromSeconds(30);

    public void Validate()
    {
        if (ClearHold < TimeSpan.Zero || ClearHold > TimeSpan.FromHours(24))
        {
            throw new ArgumentOutOfRangeException(nameof(ClearHold), ClearHold, "clear hold must be 0 to 24 h");
        }
    }
}

/// <summary>
/// Warnings from the national alarm setpoints alone, one active warning per (site, scenario): the floor that the
/// common-scenario engine builds on. Level: any first-level alarm → blue; one sensor at second level → yellow; two
/// → orange; three or more, or two at twice the second-level setpoint → red. A level rises at once and falls only
/// after it has stayed lower for <see cref="SetpointWarningOptions.ClearHold"/> of event time (hysteresis).
/// </summary>
/// <remarks>Not thread-safe: one instance per lane; a site's readings always reach the same lane.</remarks>
public sealed class SetpointWarnings
{
    private readonly ParkRegistry _registry;
    private readonly SetpointWarningOptions _options;
    private readonly Dictionary<(int Site, int Scenario), SiteScenario> _states = [];

    public SetpointWarnings(ParkRegistry registry, SetpointWarningOptions options)
    {
        _registry = registry;
        _options = options;
    }

    /// <summary>Active warnings held by this instance.</summary>
    public int Active => _states.Values.Count(s => s.Id is not null);

    /// <summary>Feeds one scored reading; returns the event it caused, if any.</summary>
    public WarningEvent? Observe(SensorDef sensor, double value, AlarmLevel alarm, double risk, long tsMs, string model)
    {
        var key = (sensor.Site.Index, ScenarioNames.IndexOf(sensor.Kind));
        if (!_states.TryGetValue(key, out var state))
        {
            if (alarm == AlarmLevel.None)
            {
                return null;
            }

            _states[key] = state = new SiteScenario(sensor.Site, ScenarioNames.For(sensor.Kind));
        }

        var ts = DateTimeOffset.FromUnixTimeMilliseconds(tsMs);
        if (alarm == AlarmLevel.None)
        {
            state.Evidence.Remove(sensor);
        }
        else
        {
            state.Evidence[sensor] = new SensorEvidence(sensor.Id, sensor.Kind, value, sensor.Kind.CanonicalUnit(), alarm, risk, ts);
        }

        state.LatestMs = Math.Max(state.LatestMs, tsMs);
        var level = LevelOf(state);
        WarningEvent? result = null;
        if (state.Id is null)
        {
            if (level is { } raised)
            {
                state.Id = $"{state.Scenario}:{state.Site.Id}:{tsMs}";
                state.Seq = 0;
                state.Level = raised;
                state.RaisedAt = ts;
                state.LowerSinceMs = null;
                result = Emit(state, WarningStatus.Raised, ts, model);
            }
        }
        else if (level > state.Level)
        {
            state.Level = level.Value;
            state.LowerSinceMs = null;
            result = Emit(state, WarningStatus.Escalated, ts, model);
        }
        else if (level is null || level < state.Level)
        {
            state.LowerSinceMs ??= tsMs;
            if (state.LatestMs - state.LowerSinceMs >= (long)_options.ClearHold.TotalMilliseconds)
            {
                if (level is { } lower)
                {
                    state.Level = lower;
                    state.LowerSinceMs = null;
                    result = Emit(state, WarningStatus.Deescalated, ts, model);
                }
                else
                {
                    result = Emit(state, WarningStatus.Resolved, ts, model);
                    _states.Remove(key);
                }
            }
        }
        else
        {
            state.LowerSinceMs = null;
        }

        return result;
    }

    private static WarningLevel? LevelOf(SiteScenario state)
    {
        if (state.Evidence.Count == 0)
        {
            return null;
        }

        int second = 0, severe = 0;
        foreach (var (sensor, e) in state.Evidence)
        {
            if (e.Alarm == AlarmLevel.Second)
            {
                second++;
                if (sensor.Setpoints.SecondHigh is { } sp && e.Value >= 2 * sp)
                {
                    severe++;
                }
            }
        }

        return second switch
        {
            >= 3 => WarningLevel.Red,
            2 when severe >= 2 => WarningLevel.Red,
            2 => WarningLevel.Orange,
            1 => WarningLevel.Yellow,
            _ => WarningLevel.Blue,
        };
    }

    private WarningEvent Emit(SiteScenario state, WarningStatus status, DateTimeOffset time, string model)
    {
        state.Seq++;
        var site = state.Site;
        var audiences = new List<Audience>
        {
            new(PartyType.Government, site.Jurisdiction.Id, "site jurisdiction"),
            new(PartyType.Enterprise, site.Enterprise.Id, "site owner"),
        };
        if (state.Level >= WarningLevel.Orange)
        {
            foreach (var above in _registry.Ancestry(site.Jurisdiction).Skip(1))
            {
                audiences.Add(new Audience(PartyType.Government, above.Id, "orange or red: higher jurisdiction"));
            }
        }

        return new WarningEvent(
            state.Id!,
            state.Seq,
            state.Scenario,
            state.Level,
            status,
            site.Id,
            site.Enterprise.Id,
            site.Jurisdiction.Id,
            time,
            state.RaisedAt,
            state.Evidence.Values.OrderBy(e => e.Sensor, StringComparer.Ordinal).ToArray(),
            [model],
            audiences,
            RecommendedActions.For(state.Scenario, state.Level, status),
            []);
    }

    private sealed class SiteScenario(SiteDef site, string scenario)
    {
        public SiteDef Site { get; } = site;

        public string Scenario { get; } = scenario;

        public Dictionary<SensorDef, SensorEvidence> Evidence { get; } = [];

        public string? Id { get; set; }

        public long Seq { get; set; }

        public WarningLevel Level { get; set; }

        public DateTimeOffset RaisedAt { get; set; }

        public long? LowerSinceMs { get; set; }

        public long LatestMs { get; set; } = long.MinValue;
    }
}

/// <summary>Recommended actions per scenario and level (interim: the scenario files of the engine replace these).</summary>
public static class RecommendedActions
{
    public static IReadOnlyList<string> For(string scenario, WarningLevel level, WarningStatus status)
    {
        if (status == WarningStatus.Resolved)
        {
            return ["confirm the cause and record it", "return the area to normal operation"];
        }

        var actions = new List<string>();
        switch (scenario)
        {
            case ScenarioNames.CombustibleGasLeak:
                actions.Add("remove ignition sources and stop hot work in the area");
                actions.Add("locate and isolate the leak; ventilate");
                break;
            case ScenarioNames.ToxicGasRelease:
                actions.Add("wear respiratory protection; keep people upwind");
                actions.Add("locate and isolate the release");
                break;
            case ScenarioNames.OxygenAbnormal:
                actions.Add("no entry without breathing apparatus; ventilate");
                break;
            case ScenarioNames.Fire:
                actions.Add("check the area for fire; prepare fixed extinguishing systems");
                break;
            case ScenarioNames.Overpressure:
                actions.Add("check relief valves and reduce feed");
                break;
            case ScenarioNames.TankOverfill:
                actions.Add("stop filling; check level instruments");
                break;
        }

        if (level >= WarningLevel.Orange)
        {
            actions.Add("evacuate non-essential staff; notify the emergency management bureau");
        }

        if (level == WarningLevel.Red)
        {
            actions.Add("start the site emergency plan; request external assistance");
        }

        return actions;
    }
}

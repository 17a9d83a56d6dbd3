using RiskStream.Core.Contracts;
using RiskStream.Scenarios.Definitions;
using RiskStream.Scenarios.Engine.State;

namespace RiskStream.Scenarios.Engine;

/// <summary>
/// Condition tracking: what each signal of a sensor reads, whether a condition holds at a site now, how long it has
/// held (and how often it became true), and which level of a scenario that makes the target. Also the two shortcuts
/// that keep the hot path cheap: a calm reading wakes nothing, and a resting scenario wakes only when a reading may
/// satisfy one of its level conditions.
/// </summary>
/// <remarks>Not thread-safe: one per engine.</remarks>
internal sealed class ConditionEvaluator(SilenceBook silences)
{
    /// <summary>
    /// Tracks every condition of the scenario at <paramref name="now"/> and returns the highest level with one
    /// alternative holding wholly, or null. Marks the state idle when nothing is under way.
    /// </summary>
    public WarningLevel? Target(ScenarioState state, long now)
    {
        var site = state.Site;
        var def = state.Definition;
        var conditions = def.AllConditions;
        var resting = true;
        for (var i = 0; i < conditions.Length; i++)
        {
            var tracker = state.Trackers[i];
            state.Held[i] = Track(tracker, conditions[i], Instant(state, conditions[i], now), now);
            if (i < def.LevelConditionCount && (tracker.TrueSinceMs is not null || tracker.Edges.Count > 0))
            {
                resting = false;
            }
        }

        // Evaluated again on every reading while anything is under way; at rest only when woken (see MayWake).
        state.Idle = resting && !state.Open;
        for (var level = 4; level >= 1; level--)
        {
            foreach (var alternative in def.Levels[level])
            {
                if (AllHeld(state, alternative))
                {
                    return (WarningLevel)level;
                }
            }
        }

        return null;
    }

    /// <summary>Every clear condition of the scenario holds (true when it has none).</summary>
    public static bool ClearHolds(ScenarioState state) => AllHeld(state, state.Definition.ClearWhen);

    /// <summary>Every scenario of the kind rests and the reading is below all their floors: nothing can change.</summary>
    public static bool Calm(SiteState site, SensorSlot slot, int[] scenarios, in WakeFloor floor)
    {
        foreach (var index in scenarios)
        {
            if (site.Scenarios[index] is { Idle: false })
            {
                return false;
            }
        }

        return !floor.Always
            && (double)slot.Alarm < floor.Alarm
            && !(slot.Risk >= floor.Risk)
            && !(SignalOf(slot, Signal.Ratio, site) >= floor.Ratio)
            && !(slot.Flat && floor.Flat)
            && !(slot.Anomalous && floor.Anomaly)
            && !(floor.IntactBelow > 0 && slot.Intact < floor.IntactBelow)
            && (site.LatestMs - site.OldestSlotMs) / 1000.0 < floor.StaleSeconds
            && site.SilentPeriods < floor.SilentPeriods;
    }

    /// <summary>A resting scenario can only wake if the changed sensor satisfies one of its level conditions, or time made a sensor stale.</summary>
    public static bool MayWake(ScenarioDefinition def, SensorSlot changed, SiteState site)
    {
        var conditions = def.AllConditions;
        for (var i = 0; i < def.LevelConditionCount; i++)
        {
            var c = conditions[i];
            if (c.Signal == Signal.Stale)
            {
                // The stalest sensor of the site, whatever its kind: may wake a little too often, never too rarely.
                if (c.Satisfies((site.LatestMs - site.OldestSlotMs) / 1000.0))
                {
                    return true;
                }
            }
            else if (c.Signal == Signal.Silent)
            {
                // Likewise the longest-silent sensor, in the site's shortest reporting period.
                if (c.Satisfies(site.SilentPeriods))
                {
                    return true;
                }
            }
            else if (c.Signal is not (Signal.Identification or Signal.SiteWarning) && c.Counts(changed.Sensor.Kind) && c.Satisfies(SignalOf(changed, c.Signal, site)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The sensor takes part in a condition of the scenario that is not an all-sensors one (it is evidence).</summary>
    public static bool Notable(ScenarioDefinition def, SensorSlot slot, SiteState site)
    {
        foreach (var c in def.AllConditions)
        {
            if (c.Signal is not (Signal.Identification or Signal.SiteWarning) && c.Counts(slot.Sensor.Kind) && c.Sensors != Condition.All && c.Satisfies(SignalOf(slot, c.Signal, site)))
            {
                return true;
            }
        }

        return false;
    }

    public static double SignalOf(SensorSlot slot, Signal signal, SiteState site) => signal switch
    {
        Signal.Alarm => (double)slot.Alarm,
        Signal.Risk => slot.Risk,
        Signal.Ratio => slot.Sensor.Setpoints.SecondHigh is { } sp and > 0 ? slot.Value / sp : double.NaN,
        Signal.Stale => (site.LatestMs - slot.TsMs) / 1000.0,
        Signal.Silent => (site.LatestMs - (slot.Seen ? slot.TsMs : site.HeldSinceMs)) / slot.Sensor.ReportingPeriod.TotalMilliseconds,
        Signal.Flat => slot.Flat ? 1 : 0,
        Signal.Anomaly => slot.Anomalous ? 1 : 0,
        Signal.Intact => slot.Intact,
        _ => double.NaN,
    };

    private static bool AllHeld(ScenarioState state, IReadOnlyList<Condition> alternative)
    {
        foreach (var c in alternative)
        {
            if (!state.Held[c.Index])
            {
                return false;
            }
        }

        return true;
    }

    private static bool Track(ConditionTracker tracker, Condition c, bool instant, long now)
    {
        if (instant)
        {
            if (tracker.TrueSinceMs is null)
            {
                tracker.TrueSinceMs = now;
                if (c.Repeat > 0)
                {
                    tracker.Edges.Enqueue(now);
                }
            }
        }
        else
        {
            tracker.TrueSinceMs = null;
        }

        if (c.Repeat > 0)
        {
            while (tracker.Edges.Count > 0 && tracker.Edges.Peek() < now - (long)c.RepeatWithin.TotalMilliseconds)
            {
                tracker.Edges.Dequeue();
            }

            // Became true often enough recently, and holds now.
            return instant && tracker.Edges.Count >= c.Repeat;
        }

        return instant && now - tracker.TrueSinceMs!.Value >= (long)c.For.TotalMilliseconds;
    }

    private bool Instant(ScenarioState state, Condition c, long now)
    {
        var site = state.Site;
        if (c.Signal == Signal.SiteWarning)
        {
            return c.Satisfies(HighestOtherWarning(state));
        }

        if (c.Signal == Signal.Identification)
        {
            var found = 0;
            foreach (var i in site.Identifications)
            {
                if (i.TsMs >= now - (long)c.Within.TotalMilliseconds && i.TsMs <= now
                    && (c.HazardClasses.Count == 0 || i.HazardClasses.Any(c.HazardClasses.Contains))
                    && (c.Purposes.Count == 0 || c.Purposes.Contains(i.Purpose))
                    && c.Satisfies(i.Score))
                {
                    found++;
                }
            }

            return found >= Math.Max(1, c.Sensors);
        }

        int counted = 0, satisfied = 0;
        var anySilence = silences.Current.Count > 0;
        var anyShelf = state.Shelves.Count > 0;
        foreach (var slot in site.Slots)
        {
            // A sensor that never reported counts only for silence: there is nothing else to know of it.
            if ((!slot.Seen && (c.Signal != Signal.Silent || site.HeldSinceMs == long.MinValue)) || !c.Counts(slot.Sensor.Kind))
            {
                continue;
            }

            // Out of service (a silence) or shelved, a sensor counts for nothing, except at a second-level alarm:
            // the national floor is never shelved.
            if ((anySilence || anyShelf) && slot.Alarm < AlarmLevel.Second
                && ((anySilence && silences.Covers(site.Def.Id, slot.Sensor.Id, now)) || (anyShelf && ResponseWorkflow.IsShelved(state, slot.Sensor.Id, now))))
            {
                continue;
            }

            counted++;
            if (c.Satisfies(SignalOf(slot, c.Signal, site)))
            {
                satisfied++;
            }
        }

        return c.Sensors == Condition.All ? counted > 0 && satisfied == counted : satisfied >= c.Sensors;
    }

    /// <summary>The highest level of the other active, published warnings of the state's site (0 when none).</summary>
    private static double HighestOtherWarning(ScenarioState state)
    {
        var highest = 0;
        foreach (var other in state.Site.Scenarios)
        {
            if (other is { Active: true, Published: true } && !ReferenceEquals(other, state))
            {
                highest = Math.Max(highest, (int)other.Level);
            }
        }

        return highest;
    }

    /// <summary>A sensor the scenario watches shows a second-level alarm: what no silence or shelving holds back.</summary>
    public static bool AnySecondLevel(ScenarioState state)
    {
        foreach (var slot in state.Site.Slots)
        {
            if (slot.Seen && slot.Alarm >= AlarmLevel.Second && state.Definition.Kinds.Contains(slot.Sensor.Kind))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a sensor the scenario watches reported and has since missed at least <paramref name="periods"/> reporting periods.</summary>
    public static bool AnySilent(ScenarioState state, double periods)
    {
        var site = state.Site;
        foreach (var slot in site.Slots)
        {
            if (slot.Seen && state.Definition.Kinds.Contains(slot.Sensor.Kind) && SignalOf(slot, Signal.Silent, site) >= periods)
            {
                return true;
            }
        }

        return false;
    }
}

using RiskStream.Core.Contracts;
using RiskStream.Scenarios.Definitions;
using RiskStream.Scenarios.Engine.State;

namespace RiskStream.Scenarios.Engine;

/// <summary>
/// The lifecycle of one warning, one method per transition: raised when a level's conditions hold (not while its
/// site is silenced); escalated at once when a higher level holds; de-escalated, or resolved, only after the lower
/// target has lasted the scenario's clear time (hysteresis) and the warning has been active its minimum time;
/// held at its highest level while flapping; escalated again (a level up, or the next jurisdiction up) while neither
/// the owner nor a regulator acknowledges it; the escalated level is a floor until one does. A resolved warning
/// awaits its disposition; raised again before that, the old one is closed undisposed and a new one raised.
/// </summary>
/// <remarks>Not thread-safe: one per engine.</remarks>
internal sealed class WarningLifecycle(AudienceResolver audiences, WarningMarks marks, SilenceBook silences, double[] silentFloors, ResponseWorkflow response, WarningEventBuilder builder)
{
    /// <summary>Reporting periods a watched sensor may miss before its warning stops falling.</summary>
    public const double HoldWhileSilentPeriods = 2;

    /// <summary>Moves the warning of <paramref name="state"/> towards <paramref name="target"/> at <paramref name="now"/>.</summary>
    public void Advance(ScenarioState state, WarningLevel? target, long now)
    {
        var targetValue = target is { } t ? (int)t : 0;
        RecordTarget(state, targetValue, now);
        if (!state.Active)
        {
            if (target is { } raise && (!silences.Covers(state.Site.Def.Id, null, now) || ConditionEvaluator.AnySecondLevel(state)))
            {
                Raise(state, raise, now);
            }

            response.Timers(state, now);
            return;
        }

        UpdateFlapping(state);
        var effective = Math.Max(targetValue, (int)state.Floor);
        if (effective > (int)state.Level)
        {
            RiseTo(state, (WarningLevel)effective);
        }
        else if (effective < (int)state.Level && !state.Flapping)
        {
            Lower(state, effective, now);
        }
        else if (effective == (int)state.Level)
        {
            state.LowerSinceMs = null;
        }

        if (state.Active && Unacknowledged(state, now))
        {
            EscalateUnacknowledged(state, now);
        }

        state.PeakLevel = (WarningLevel)Math.Max((int)state.PeakLevel, (int)state.Level);
        response.Timers(state, now);
    }

    private static void RecordTarget(ScenarioState state, int target, long now)
    {
        if (target != state.LastTarget)
        {
            state.LastTarget = target;
            state.TargetChanges.Enqueue((now, target));
        }

        var horizon = now - (long)state.Definition.FlappingWithin.TotalMilliseconds;
        while (state.TargetChanges.Count > 0 && state.TargetChanges.Peek().Ms < horizon)
        {
            state.TargetChanges.Dequeue();
        }
    }

    private void Raise(ScenarioState state, WarningLevel level, long now)
    {
        var def = state.Definition;
        if (state.Pending is { } pending && state.Published)
        {
            // What the old warning had pending in this input (its close, say) is its own, published before the new one.
            marks.Immediate.Add(builder.Build(state, pending.Status, pending.Reason));
            state.Pending = null;
        }

        if (state.Closing && state.Published)
        {
            // Raised again before the last one was disposed: that one is closed as it stands, for all to see.
            marks.Immediate.Add(builder.Build(state, WarningStatus.Closed, $"closed undisposed: {def.Title} raised again at the site before this warning was disposed"));
        }

        state.Active = true;
        state.Id = $"{def.Id}:{state.Site.Def.Id}:{now}";
        state.Seq = 0;
        state.Level = level;
        state.Floor = 0;
        state.RaisedAtMs = now;
        state.LastEscalationMs = now;
        state.LowerSinceMs = null;
        state.Flapping = false;
        state.Published = false;
        state.Acks.Clear();
        state.AckCounts.Clear();
        state.AddedJurisdictions.Clear();
        state.PeakLevel = level;
        state.Closing = false;
        state.ResolvedAtMs = null;
        state.Responses.Clear();
        state.RemindedFor = long.MinValue;
        state.Disposition = null;
        state.DisposeOverdue = false;
        state.Trail.Clear();
        state.TrailOmitted = 0;
        state.Assistance.Clear();
        state.FirstEvent = state.LastEvent = null;
        state.TargetChanges.Clear();
        state.Idle = false;
        marks.Mark(state, WarningStatus.Raised, $"{def.Title}: {level.Wire()} conditions hold");
    }

    private void UpdateFlapping(ScenarioState state)
    {
        var def = state.Definition;
        var flapping = state.TargetChanges.Count > def.FlappingChanges;
        if (flapping == state.Flapping)
        {
            return;
        }

        state.Flapping = flapping;
        if (flapping)
        {
            // Held at the highest level it reached while toggling.
            state.Level = (WarningLevel)Math.Max((int)state.Level, state.TargetChanges.Max(c => c.Target));
            state.LowerSinceMs = null;
        }

        marks.Mark(state, WarningStatus.Updated, flapping
            ? $"flapping: {state.TargetChanges.Count} level changes within {def.FlappingWithin}; held at {state.Level.Wire()}"
            : "no longer flapping");
    }

    private void RiseTo(ScenarioState state, WarningLevel level)
    {
        state.Level = level;
        state.LowerSinceMs = null;
        marks.Mark(state, WarningStatus.Escalated, $"conditions of {level.Wire()} hold");
    }

    /// <summary>
    /// A lower target (or none) that has lasted the clear time de-escalates the warning, or resolves it; never while
    /// a sensor it watches is silent (<see cref="HoldWhileSilentPeriods"/>): silence is no evidence of calm. A scenario
    /// about silence itself lowers as its sensors come back.
    /// </summary>
    private void Lower(ScenarioState state, int effective, long now)
    {
        var def = state.Definition;
        if (!double.IsFinite(silentFloors[state.Index]) && ConditionEvaluator.AnySilent(state, HoldWhileSilentPeriods))
        {
            state.LowerSinceMs = null;
            return;
        }

        state.LowerSinceMs ??= now;
        if (now - state.LowerSinceMs.Value < (long)def.ClearFor.TotalMilliseconds)
        {
            return;
        }

        if (effective > 0)
        {
            state.Level = (WarningLevel)effective;
            state.LowerSinceMs = null;
            marks.Mark(state, WarningStatus.Deescalated, $"only {state.Level.Wire()} conditions for {def.ClearFor}");
        }
        else if (now - state.RaisedAtMs >= (long)def.MinActive.TotalMilliseconds && ConditionEvaluator.ClearHolds(state))
        {
            state.Active = false;
            state.Closing = true;
            state.ResolvedAtMs = now;
            marks.Mark(state, WarningStatus.Resolved, $"clear for {def.ClearFor}{(ResponseWorkflow.DispositionComplete(state) ? "" : "; awaiting disposition")}");
        }
    }

    private static bool Unacknowledged(ScenarioState state, long now)
    {
        var def = state.Definition;
        var within = def.AckWithin(state.Level);
        return within > TimeSpan.Zero && state.Acks.Count == 0 && now - state.LastEscalationMs >= (long)within.TotalMilliseconds;
    }

    /// <summary>Nobody acknowledged in time: a level up (the new level is a floor), or the next jurisdiction up.</summary>
    private void EscalateUnacknowledged(ScenarioState state, long now)
    {
        var def = state.Definition;
        var overdue = $"no acknowledgement from {ResponseWorkflow.Owing(state)} within {def.AckWithin(state.Level)}";
        state.LastEscalationMs = now;
        if (def.Escalation == EscalationAction.RaiseLevel && state.Level < WarningLevel.Red)
        {
            state.Level++;
            state.Floor = state.Level;
            state.LowerSinceMs = null;
            marks.Mark(state, WarningStatus.Escalated, $"{overdue}: level raised to {state.Level.Wire()}");
        }
        else if (audiences.NextJurisdictionUp(state.Site.Def, state.Audiences) is { } parent)
        {
            state.AddedJurisdictions.Add(parent.Id);
            marks.Mark(state, WarningStatus.Escalated, $"{overdue}: {parent.Name} ({parent.Id}) added");
        }
    }
}

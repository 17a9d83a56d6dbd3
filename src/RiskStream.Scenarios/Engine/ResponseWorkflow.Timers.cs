using RiskStream.Core.Contracts;
using RiskStream.Scenarios.Definitions;
using RiskStream.Scenarios.Engine.State;

namespace RiskStream.Scenarios.Engine;

/// <summary>
/// What time owes a warning, on readings and on the processing-time tick alike: assistance requested and moved on,
/// reminders, shelves lifted or expired, the disposition deadline, the close once a disposition is complete.
/// </summary>
internal sealed partial class ResponseWorkflow
{
    /// <summary>What time owes the warning at <paramref name="now"/>: assistance, reminders, the disposition deadline, the close.</summary>
    public void Timers(ScenarioState s, long now)
    {
        if (s.Active && !s.HeldBack)
        {
            RequestAssistance(s, now);
            Remind(s, now);
        }

        if (s.Active && s.Shelves.Count > 0 && s.Definition.Response.ShelveMax[(int)s.Level] <= TimeSpan.Zero)
        {
            var lifted = string.Join(", ", s.Shelves.Select(x => x.Sensor));
            s.Shelves.Clear();
            marks.Mark(s, WarningStatus.Updated, $"shelving of {lifted} lifted: none is allowed at {s.Level.Wire()}");
        }

        if ((s.Active || s.Closing) && !s.HeldBack)
        {
            AssistanceTimeouts(s, now);
        }

        if (s.Active || s.Closing)
        {
            DisposeDeadline(s, now);
        }

        // Never in the evaluation that resolved it: the resolve is an event of its own, the close follows on the next tick.
        if (s.Closing && DispositionComplete(s) && s.Pending?.Status != WarningStatus.Resolved)
        {
            Close(s);
        }
    }

    /// <summary>Removes the shelves that have expired (before the conditions are evaluated: the sensor counts again).</summary>
    public void ExpireShelves(ScenarioState s, long now)
    {
        for (var i = s.Shelves.Count - 1; i >= 0; i--)
        {
            var shelf = s.Shelves[i];
            if (shelf.Until.ToUnixTimeMilliseconds() > now)
            {
                continue;
            }

            s.Shelves.RemoveAt(i);
            if (s.Active || s.Closing)
            {
                marks.Mark(s, WarningStatus.Updated, $"shelving of {shelf.Sensor} expired at {Time(shelf.Until)}: it counts again");
            }
            else
            {
                marks.Touch(s);
            }
        }
    }

    /// <summary>From the scenario's assistance level up: one request per capability, to the nearest engaged enterprise.</summary>
    private void RequestAssistance(ScenarioState s, long now)
    {
        var def = s.Definition;
        if (s.Level < def.AssistanceFrom)
        {
            return;
        }

        foreach (var capability in def.AssistanceCapabilities)
        {
            if (!s.Assistance.Exists(r => r.Capability == capability) && audiences.AssistanceCandidates(s.Site.Def, def, capability).FirstOrDefault() is { } first)
            {
                s.Assistance.Add(Request(first, now, def.Response));
                marks.Touch(s);
            }
        }
    }

    private void AssistanceTimeouts(ScenarioState s, long now)
    {
        for (var i = 0; i < s.Assistance.Count; i++)
        {
            var r = s.Assistance[i];
            if (r is { Status: AssistanceStatus.Requested, AnswerDueAt: { } due } && due.ToUnixTimeMilliseconds() <= now)
            {
                s.Assistance[i] = r with { Status = AssistanceStatus.Unanswered };
                MoveOn(s, r.Capability, now, $"assistance: {r.Enterprise} did not answer within {s.Definition.Response.AssistanceAnswer}");
            }
        }
    }

    /// <summary>A declined or unanswered request goes to the next nearest enterprise engaged for the capability; the regulator sees it.</summary>
    private void MoveOn(ScenarioState s, string capability, long now, string why)
    {
        var asked = s.Assistance.Where(r => r.Capability == capability).Select(r => r.Enterprise).ToHashSet(StringComparer.Ordinal);
        var next = s.Active ? audiences.AssistanceCandidates(s.Site.Def, s.Definition, capability).FirstOrDefault(c => !asked.Contains(c.Enterprise)) : null;
        if (next is not null)
        {
            s.Assistance.Add(Request(next, now, s.Definition.Response));
            marks.Mark(s, WarningStatus.Updated, $"{why}; request moved to {next.Enterprise} (engaged by {next.EngagedBy}, {next.Basis})");
        }
        else
        {
            marks.Mark(s, WarningStatus.Updated, $"{why}; no other enterprise is engaged for {capability}: the regulator must arrange it");
        }
    }

    private static AssistanceRequest Request(AssistanceRequest candidate, long now, ResponsePolicy policy) =>
        candidate with { Status = AssistanceStatus.Requested, RequestedAt = At(now), AnswerDueAt = At(now + (long)policy.AssistanceAnswer.TotalMilliseconds) };

    /// <summary>Once per escalation period, after the policy's share of the acknowledgement deadline: who still owes one.</summary>
    private void Remind(ScenarioState s, long now)
    {
        var within = s.Definition.AckWithin(s.Level);
        var remindAt = s.Definition.Response.RemindAt;
        if (within <= TimeSpan.Zero || remindAt <= 0 || s.Acks.Count > 0 || s.RemindedFor == s.LastEscalationMs)
        {
            return;
        }

        var elapsed = now - s.LastEscalationMs;
        if (elapsed < (long)(within.TotalMilliseconds * remindAt) || elapsed >= (long)within.TotalMilliseconds)
        {
            return;
        }

        s.RemindedFor = s.LastEscalationMs;
        var due = At(s.LastEscalationMs + (long)within.TotalMilliseconds);
        marks.Mark(s, WarningStatus.Updated, $"reminder: acknowledgement due by {Time(due)} from {Owing(s)}");
    }

    private void DisposeDeadline(ScenarioState s, long now)
    {
        var within = s.Definition.Response.Dispose;
        if (within <= TimeSpan.Zero || s.DisposeOverdue || DispositionComplete(s) || now - s.RaisedAtMs < (long)within.TotalMilliseconds)
        {
            return;
        }

        s.DisposeOverdue = true;
        marks.Mark(s, WarningStatus.Updated, $"disposition overdue: the owner {s.Site.Def.Enterprise.Id} was to dispose it within {within} of its raise");
    }

    private void Close(ScenarioState s)
    {
        s.Closing = false;
        var d = s.Disposition!;
        marks.Mark(s, WarningStatus.Closed, $"closed as {d.Reason.Wire()} (disposed by {d.Party.Address()}{(d.ConfirmedBy is { } c && c != d.Party ? ", confirmed by " + c.Address() : "")})");
    }
}

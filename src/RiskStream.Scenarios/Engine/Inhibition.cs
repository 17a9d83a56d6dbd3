using RiskStream.Core.Contracts;
using RiskStream.Scenarios.Engine.State;

namespace RiskStream.Scenarios.Engine;

/// <summary>
/// A red warning holds back the lower warnings of its site: their events wait, and are published where the warning
/// then stands once the red one is gone; one raised and resolved entirely under it is never published. Also where
/// pending events become published ones.
/// </summary>
/// <remarks>Not thread-safe: one per engine.</remarks>
internal sealed class Inhibition(WarningMarks marks, WarningEventBuilder builder)
{
    /// <summary>Events held back by inhibition and never published (a lower warning raised and resolved under a red one).</summary>
    public long Suppressed { get; set; }

    /// <summary>Applies inhibition at the site and publishes what is pending.</summary>
    public void Settle(SiteState site, List<PublishedWarning> events)
    {
        events.AddRange(marks.Immediate);
        marks.Immediate.Clear();

        // Inhibition changes only when a level changes, and that marks an event: nothing marked, nothing to do.
        if (!site.Marked)
        {
            return;
        }

        site.Marked = false;
        var red = EarliestRed(site);
        foreach (var s in site.Scenarios)
        {
            if (s is not null)
            {
                SettleOne(s, red, events);
            }
        }
    }

    private static ScenarioState? EarliestRed(SiteState site)
    {
        ScenarioState? red = null;
        foreach (var s in site.Scenarios)
        {
            if (s is { Active: true, Level: WarningLevel.Red } && (red is null || s.RaisedAtMs < red.RaisedAtMs))
            {
                red = s;
            }
        }

        return red;
    }

    private void SettleOne(ScenarioState s, ScenarioState? red, List<PublishedWarning> events)
    {
        var inhibited = red is not null && !ReferenceEquals(s, red) && s.Level < WarningLevel.Red && s.Active;
        if (s.Inhibited && !inhibited && s.Active && s.Pending is null && s.HeldBack)
        {
            // Inhibition lifted: publish where the warning now stands.
            marks.Mark(s, s.Published ? WarningStatus.Updated : WarningStatus.Raised, "no longer held back by a red warning at the site");
        }

        s.Inhibited = inhibited;
        if (s.Pending is not { } pending)
        {
            return;
        }

        if (inhibited && pending.Status != WarningStatus.Resolved)
        {
            s.HeldBack = true;
            s.Pending = null;
            Suppressed++;
            return;
        }

        if (pending.Status == WarningStatus.Resolved && !s.Published)
        {
            // Raised and resolved entirely under a red warning: nobody has seen it, nobody disposes it.
            s.Pending = null;
            s.Closing = false;
            Suppressed++;
            return;
        }

        var status = s.Published ? pending.Status : WarningStatus.Raised;
        s.Pending = null;
        s.HeldBack = false;
        events.Add(builder.Build(s, status, pending.Reason));
    }
}

using RiskStream.Core.Registry;
using RiskStream.Scenarios.Engine.State;

namespace RiskStream.Scenarios.Engine;

/// <summary>The engine's processing-time tick: what time owes the sites whose readings have stopped.</summary>
public sealed partial class ScenarioEngine
{
    /// <summary>
    /// The clock's tick, at processing time <paramref name="nowMs"/>: a site no input reached since the last tick has
    /// its clock moved on by the processing time that passed, and the warnings owed an answer in time (escalation,
    /// clear and minimum active times) and the scenarios about silence are evaluated, with no reading needed. Each
    /// site is its own transaction: a failure at one is undone there, reported to <paramref name="failed"/>, and the
    /// tick goes on with the next site.
    /// </summary>
    public void Tick(long nowMs, List<PublishedWarning> events, Action<SiteDef, Exception>? failed = null)
    {
        foreach (var site in _sites)
        {
            if (site is null || site.LatestMs == long.MinValue)
            {
                continue;
            }

            site.AdvanceClock(nowMs);
            if (Resting(site))
            {
                continue;
            }

            Begin(site.Def, events);
            try
            {
                TickSite(site, events);
                _open = false;
            }
            catch (Exception e)
            {
                Rollback(events);
                failed?.Invoke(site.Def, e);
            }
        }
    }

    /// <summary>
    /// Nothing at the site is owed a look in time: no scenario has a warning or a condition under way, and silence
    /// cannot yet reach any scenario's floor. The silence is bounded without visiting the sensors: their newest
    /// timestamps only move forward, so the longest silence computed last is at most as long as it was then.
    /// </summary>
    private bool Resting(SiteState site)
    {
        foreach (var state in site.Scenarios)
        {
            if (state is { Idle: false })
            {
                return false;
            }
        }

        return site.SilentSinceMs != long.MaxValue && site.SilentPeriods < _set.MinSilentFloor;
    }

    private void TickSite(SiteState site, List<PublishedWarning> events)
    {
        site.ComputeOldest(site.LatestMs);
        var silent = site.SilentPeriods;
        _transaction.SaveScenarios();
        for (var index = 0; index < site.Scenarios.Length; index++)
        {
            if (site.Scenarios[index] is { Idle: false } || silent >= _set.SilentFloor[index])
            {
                Evaluate(site, index, site.LatestMs);
            }
        }

        _inhibition.Settle(site, events);
    }
}

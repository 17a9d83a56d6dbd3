using RiskStream.Core.Contracts;

namespace RiskStream.Kpis;

/// <summary>One scope's figures over one window, from the facts that fell in it and the warnings active at its end.</summary>
internal static class AlarmKpiFigures
{
    public static AlarmKpis Of(string scope, string id, string window, DateTimeOffset from, DateTimeOffset until, List<AlarmFact> facts, List<WarningTraits> active)
    {
        var raised = facts.Where(f => f.Kind == FactKind.Raised).ToList();
        var slots = Math.Max(1, (int)((until - from).Ticks / TimeSpan.FromMinutes(10).Ticks));
        var perSlot = new int[slots];
        foreach (var r in raised)
        {
            perSlot[Math.Min(slots - 1, (int)((r.Time - from).Ticks / TimeSpan.FromMinutes(10).Ticks))]++;
        }

        var disposed = facts.Where(f => f.Kind == FactKind.Disposed).ToList();
        var judged = disposed.Count(d => d.Reason is not (DispositionReason.Maintenance or DispositionReason.Drill));
        return new AlarmKpis(
            scope,
            id,
            window,
            from,
            until,
            raised.Count,
            Math.Round((double)raised.Count / slots, 4),
            perSlot.Max(),
            Math.Round((double)perSlot.Count(n => n > AlarmKpiCalculator.FloodAbove) / slots, 4),
            Chattering(raised.GroupBy(r => (r.Warning.Scenario, r.Warning.Site)).Select(g => g.Select(r => r.Time))),
            facts.Count(f => f.Kind == FactKind.Fleeting),
            active.Count,
            active.Count(w => until - w.RaisedAt > AlarmKpiCalculator.StandingAfter))
        {
            BadActors = [.. raised.GroupBy(r => (r.Warning.Scenario, r.Warning.Sensor))
                .Select(g => new BadActor(g.Key.Scenario, g.Key.Sensor, g.Count(), Math.Round((double)g.Count() / raised.Count, 4)))
                .OrderByDescending(b => b.Raised).ThenBy(b => b.Scenario, StringComparer.Ordinal).ThenBy(b => b.Sensor, StringComparer.Ordinal).Take(10)],
            Acknowledge = [.. Times(facts.Where(f => f.Kind == FactKind.Acknowledged), f => f.Role)],
            Dispose = [.. Times(disposed, _ => null)],
            OverdueAcknowledgements = facts.Count(f => f.Kind == FactKind.AckOverdue),
            OverdueDispositions = facts.Count(f => f.Kind == FactKind.DisposeOverdue),
            Dispositions = [.. disposed.GroupBy(d => (d.Warning.Scenario, d.Warning.Model, d.Reason!.Value))
                .Select(g => new DispositionCount(g.Key.Scenario, g.Key.Model, g.Key.Item3, g.Count()))
                .OrderBy(d => d.Scenario, StringComparer.Ordinal).ThenBy(d => d.Model, StringComparer.Ordinal).ThenBy(d => d.Reason)],
            FalseAlarmShare = judged == 0 ? null : Math.Round((double)disposed.Count(d => d.Reason == DispositionReason.FalseAlarm) / judged, 4),
            Shelved = facts.Count(f => f.Kind == FactKind.Shelved),
            OutOfService = facts.Count(f => f.Kind == FactKind.OutOfService),
            Assistance = [.. Assistance(facts)],
        };
    }

    /// <summary>The alarms (each given by its activation times) with <see cref="AlarmKpiCalculator.ChatterCount"/> activations within <see cref="AlarmKpiCalculator.ChatterWithin"/>.</summary>
    internal static int Chattering(IEnumerable<IEnumerable<DateTimeOffset>> alarms) => alarms
        .Count(g =>
        {
            var times = g.Order().ToArray();
            return Enumerable.Range(0, Math.Max(0, times.Length - AlarmKpiCalculator.ChatterCount + 1))
                .Any(i => times[i + AlarmKpiCalculator.ChatterCount - 1] - times[i] <= AlarmKpiCalculator.ChatterWithin);
        });

    private static IEnumerable<ResponseTime> Times(IEnumerable<AlarmFact> facts, Func<AlarmFact, ResponseRole?> role) => facts
        .GroupBy(f => (Role: role(f), f.Level))
        .OrderBy(g => g.Key.Role).ThenBy(g => g.Key.Level)
        .Select(g =>
        {
            var s = g.Select(f => f.Seconds).Order().ToArray();
            return new ResponseTime(g.Key.Role, g.Key.Level, s.Length, Math.Round(Median(s), 3), Math.Round(Rank(s, 0.9), 3));
        });

    private static IEnumerable<AssistanceFigures> Assistance(List<AlarmFact> facts) => facts
        .Where(f => f.Agreement is not null)
        .GroupBy(f => f.Agreement!.Value)
        .OrderBy(g => g.Key.EngagedBy, StringComparer.Ordinal).ThenBy(g => g.Key.Enterprise, StringComparer.Ordinal).ThenBy(g => g.Key.Capability, StringComparer.Ordinal)
        .Select(g =>
        {
            var answered = g.Where(f => f.Kind is FactKind.AssistanceAccepted or FactKind.AssistanceDeclined).Select(f => f.Seconds).Order().ToArray();
            return new AssistanceFigures(g.Key.EngagedBy, g.Key.Enterprise, g.Key.Capability, g.Key.Basis,
                g.Count(f => f.Kind == FactKind.AssistanceRequested), g.Count(f => f.Kind == FactKind.AssistanceAccepted),
                g.Count(f => f.Kind == FactKind.AssistanceDeclined), g.Count(f => f.Kind == FactKind.AssistanceUnanswered))
            {
                MedianAnswerSeconds = answered.Length == 0 ? null : Math.Round(Median(answered), 3),
            };
        });

    /// <summary>The median of sorted values (the mean of the middle two for an even count).</summary>
    internal static double Median(double[] sorted) =>
        sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

    /// <summary>The nearest-rank percentile of sorted values.</summary>
    internal static double Rank(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

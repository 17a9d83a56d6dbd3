using RiskStream.Core.Contracts;

namespace RiskStream.Scenarios.Definitions;

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
        IdentificationHorizonMs = (long)scenarios.SelectMany(s => s.AllConditions).Where(c => c.Signal == Signal.Identification).Select(c => c.Within.TotalMilliseconds).DefaultIfEmpty(0).Max();
        SilentFloor = scenarios.Select(s => s.AllConditions.Take(s.LevelConditionCount).Where(c => c.Signal == Signal.Silent).Select(c => c.AtLeast ?? 0).DefaultIfEmpty(double.PositiveInfinity).Min()).ToArray();
        MinSilentFloor = SilentFloor.DefaultIfEmpty(double.PositiveInfinity).Min();
        ForSiteWarnings = scenarios.Select((s, i) => (s, i)).Where(x => x.s.AllConditions.Any(c => c.Signal == Signal.SiteWarning)).Select(x => x.i).ToArray();
    }

    public IReadOnlyList<ScenarioDefinition> Scenarios { get; }

    /// <summary>Every condition on the model's risk, in any scenario (their thresholds are the operating point the served model is evaluated at).</summary>
    public IEnumerable<Condition> RiskConditions => Scenarios.SelectMany(s => s.AllConditions).Where(c => c.Signal == Signal.Risk);

    /// <summary>Indexes of the scenarios that watch a kind, by <see cref="SensorKind"/> value.</summary>
    public int[][] ByKind { get; }

    public int[] ForIdentifications { get; }

    /// <summary>How long an identification can count for any condition (the longest <c>within</c>).</summary>
    public long IdentificationHorizonMs { get; }

    /// <summary>Per scenario: the fewest silent reporting periods any of its level conditions asks for (infinity: none).</summary>
    public double[] SilentFloor { get; }

    /// <summary>The lowest of <see cref="SilentFloor"/>: silence shorter than this wakes no scenario.</summary>
    public double MinSilentFloor { get; }

    /// <summary>Indexes of the scenarios with a condition on the site's other warnings.</summary>
    public int[] ForSiteWarnings { get; }

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

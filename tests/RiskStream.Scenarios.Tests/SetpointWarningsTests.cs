using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;

namespace RiskStream.Scenarios.Tests;

public sealed class SetpointWarningsTests
{
    private const long T0 = 1_795_000_000_000;
    private const string Model = "setpoint-baseline/1";
    private readonly ParkRegistry _registry = ParkRegistry.FromDocument(new RegistryDocument(
        "t",
        [new("C", "city", "city", null, null), new("D", "district", "district", "C", null), new("P", "park", "park", "D", null)],
        [new("E1", "owner", null, null, null)],
        [new("S1", "site", "E1", "P", 30, 121, "II",
        [
            new("LEL-1", SensorKind.CombustibleLel, null, null),
            new("LEL-2", SensorKind.CombustibleLel, null, null),
            new("LEL-3", SensorKind.CombustibleLel, null, null),
            new("H2S-1", SensorKind.H2S, null, null),
        ])]));

    private SensorDef Sensor(string id) => _registry.Sites["S1"].Sensors.Single(s => s.Id == id);

    private WarningEvent? Feed(SetpointWarnings w, string sensor, double value, long tsMs)
    {
        var s = Sensor(sensor);
        return w.Observe(s, value, s.Setpoints.LevelOf(value), s.Setpoints.BaselineRisk(value), tsMs, Model);
    }

    [Fact]
    public void Lifecycle_raise_escalate_deescalate_resolve_with_stable_id_and_rising_seq()
    {
        var w = new SetpointWarnings(_registry, new SetpointWarningOptions { ClearHold = TimeSpan.FromSeconds(30) });
        Assert.Null(Feed(w, "LEL-1", 5, T0));
        var raised = Feed(w, "LEL-1", 30, T0 + 1_000)!;
        Assert.Equal((WarningStatus.Raised, WarningLevel.Blue, 1L), (raised.Status, raised.Level, raised.Seq));
        var escalated = Feed(w, "LEL-1", 55, T0 + 2_000)!;
        Assert.Equal((WarningStatus.Escalated, WarningLevel.Yellow, 2L), (escalated.Status, escalated.Level, escalated.Seq));
        var orange = Feed(w, "LEL-2", 60, T0 + 3_000)!;
        Assert.Equal(WarningLevel.Orange, orange.Level);
        Assert.All(new[] { escalated, orange }, e => Assert.Equal(raised.Id, e.Id));

        // Back below the setpoints: nothing until the hold has passed in event time.
        Assert.Null(Feed(w, "LEL-1", 3, T0 + 4_000));
        Assert.Null(Feed(w, "LEL-2", 3, T0 + 5_000));
        Assert.Null(Feed(w, "LEL-1", 3, T0 + 30_000));
        var resolved = Feed(w, "LEL-1", 3, T0 + 34_000)!;
        Assert.Equal((WarningStatus.Resolved, 4L, raised.Id), (resolved.Status, resolved.Seq, resolved.Id));
        Assert.Equal(0, w.Active);

        // A new episode is a new warning.
        var again = Feed(w, "LEL-1", 30, T0 + 40_000)!;
        Assert.Equal(WarningStatus.Raised, again.Status);
        Assert.NotEqual(raised.Id, again.Id);
    }

    [Fact]
    public void A_short_dip_below_the_level_does_not_deescalate()
    {
        var w = new SetpointWarnings(_registry, new SetpointWarningOptions { ClearHold = TimeSpan.FromSeconds(30) });
        Feed(w, "LEL-1", 55, T0);
        Assert.Null(Feed(w, "LEL-1", 30, T0 + 10_000));
        Assert.Null(Feed(w, "LEL-1", 56, T0 + 20_000));
        Assert.Null(Feed(w, "LEL-1", 30, T0 + 45_000));
        var down = Feed(w, "LEL-1", 30, T0 + 75_000)!;
        Assert.Equal((WarningStatus.Deescalated, WarningLevel.Blue), (down.Status, down.Level));
    }

    [Fact]
    public void Three_sensors_at_second_level_make_red_and_orange_reaches_higher_jurisdictions()
    {
        var w = new SetpointWarnings(_registry, new SetpointWarningOptions());
        var yellow = Feed(w, "LEL-1", 55, T0)!;
        Assert.Equal(["P"], yellow.Audiences.Where(a => a.Type == PartyType.Government).Select(a => a.Id));
        Assert.Contains(yellow.Audiences, a => a is { Type: PartyType.Enterprise, Id: "E1" });
        var orange = Feed(w, "LEL-2", 55, T0 + 1)!;
        Assert.Equal(["P", "D", "C"], orange.Audiences.Where(a => a.Type == PartyType.Government).Select(a => a.Id));
        var red = Feed(w, "LEL-3", 55, T0 + 2)!;
        Assert.Equal(WarningLevel.Red, red.Level);
        Assert.Equal(3, red.Evidence.Count);
        Assert.Contains(red.Actions, a => a.Contains("emergency plan", StringComparison.Ordinal));
    }

    [Fact]
    public void Different_scenarios_at_one_site_are_separate_warnings()
    {
        var w = new SetpointWarnings(_registry, new SetpointWarningOptions());
        var gas = Feed(w, "LEL-1", 30, T0)!;
        var toxic = Feed(w, "H2S-1", 20, T0)!;
        Assert.Equal(ScenarioNames.CombustibleGasLeak, gas.Scenario);
        Assert.Equal(ScenarioNames.ToxicGasRelease, toxic.Scenario);
        Assert.NotEqual(gas.Id, toxic.Id);
        Assert.Equal(2, w.Active);
    }
}

using CsCheck;
using RiskStream.Core.Contracts;
using RiskStream.Scenarios.Engine;
using RiskStream.Scenarios.Tests.Support;
using RiskStream.Testing;
using static RiskStream.Scenarios.Tests.Support.TestPark;

namespace RiskStream.Scenarios.Tests;

/// <summary>Scenario semantics in event time: every timestamp is given, nothing waits on a clock.</summary>
public sealed class ScenarioEngineTests
{
    private readonly TestPark _park = new();

    private ScenarioEngine Engine(params string[] yaml) => new(_park.Registry, Set(yaml));

    private static WarningEvent Single(List<PublishedWarning> events) => Assert.Single(events).Event;

    [Fact]
    public void Lifecycle_raise_escalate_resolve_with_stable_id_rising_seq_and_hysteresis()
    {
        var engine = Engine(Gas);
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 5, T0));
        var raised = Single(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 1_000));
        Assert.Equal((WarningStatus.Raised, WarningLevel.Blue, 1L), (raised.Status, raised.Level, raised.Seq));
        var yellow = Single(_park.Feed(engine, "S1", "LEL-1", 55, T0 + 2_000));
        Assert.Equal((WarningStatus.Escalated, WarningLevel.Yellow, 2L), (yellow.Status, yellow.Level, yellow.Seq));
        var orange = Single(_park.Feed(engine, "S1", "LEL-2", 60, T0 + 3_000));
        Assert.Equal(WarningLevel.Orange, orange.Level);
        Assert.All(new[] { yellow, orange }, e => Assert.Equal(raised.Id, e.Id));

        // Back below the setpoints: nothing until the clear time has passed in event time.
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 3, T0 + 4_000));
        Assert.Empty(_park.Feed(engine, "S1", "LEL-2", 3, T0 + 5_000));
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 3, T0 + 30_000));
        var resolved = Single(_park.Feed(engine, "S1", "LEL-1", 3, T0 + 34_000));
        Assert.Equal((WarningStatus.Resolved, 4L, raised.Id), (resolved.Status, resolved.Seq, resolved.Id));
        Assert.Equal(0, engine.Active);

        // A new episode is a new warning; the last one, never disposed, is closed as it stands, for all to see.
        var next = _park.Feed(engine, "S1", "LEL-1", 30, T0 + 40_000).Select(p => p.Event).ToList();
        Assert.Equal([(raised.Id, WarningStatus.Closed, 5L), (next[1].Id, WarningStatus.Raised, 1L)], next.Select(e => (e.Id, e.Status, e.Seq)));
        Assert.Null(next[0].Disposition);
        Assert.Contains("closed undisposed", next[0].Reason, StringComparison.Ordinal);
        Assert.NotEqual(raised.Id, next[1].Id);
    }

    [Fact]
    public void A_short_dip_does_not_deescalate_and_a_long_one_does()
    {
        var engine = Engine(Gas);
        _park.Feed(engine, "S1", "LEL-1", 55, T0);
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 10_000));
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 56, T0 + 20_000));
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 45_000));
        var down = Single(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 75_000));
        Assert.Equal((WarningStatus.Deescalated, WarningLevel.Blue), (down.Status, down.Level));
    }

    [Fact]
    public void A_condition_with_a_duration_holds_only_after_it_has_lasted()
    {
        const string yaml = """
            id: risky
            title: Risky
            cap: { event: Risk, category: Safety }
            watch: { kinds: [combustible_lel] }
            levels:
              yellow: [ { signal: risk, atLeast: 0.8, for: 20s } ]
            clear: { for: 5s }
            minActive: 0s
            """;
        var engine = Engine(yaml);
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 10, T0, risk: 0.9));
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 10, T0 + 10_000, risk: 0.9));
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 10, T0 + 15_000, risk: 0.2)); // the run breaks
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 10, T0 + 16_000, risk: 0.9));
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 10, T0 + 35_000, risk: 0.9));
        var raised = Single(_park.Feed(engine, "S1", "LEL-1", 10, T0 + 36_000, risk: 0.9));
        Assert.Equal(WarningLevel.Yellow, raised.Level);
    }

    [Fact]
    public void A_repeat_rule_needs_the_condition_to_become_true_often_enough_within_its_window()
    {
        const string yaml = """
            id: bursts
            title: Bursts
            cap: { event: Bursts, category: Safety }
            watch: { kinds: [combustible_lel] }
            levels:
              blue: [ { signal: alarm, atLeast: first, repeat: 3, within: 1m } ]
            clear: { for: 0s }
            minActive: 0s
            """;
        var engine = Engine(yaml);
        var t = T0;
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 30, t += 1_000));
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 5, t += 1_000));
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 30, t += 1_000));
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 5, t += 1_000));
        Assert.Equal(WarningStatus.Raised, Single(_park.Feed(engine, "S1", "LEL-1", 30, t += 1_000)).Status);
    }

    [Fact]
    public void A_flapping_warning_is_held_at_its_highest_level_until_it_settles()
    {
        var gas = Gas.Replace("clear: { for: 30s,", "flapping: { changes: 4, within: 1m }\nclear: { for: 0s,", StringComparison.Ordinal);
        var engine = Engine(gas);
        var t = T0;
        _park.Feed(engine, "S1", "LEL-1", 55, t);
        var all = new List<WarningEvent>();
        for (var i = 0; i < 8; i++)
        {
            all.AddRange(_park.Feed(engine, "S1", "LEL-2", i % 2 == 0 ? 55 : 3, t += 1_000).Select(p => p.Event));
        }

        var flapping = Assert.Single(all, e => e.Flapping && e.Status == WarningStatus.Updated);
        Assert.Equal(WarningLevel.Orange, flapping.Level);
        Assert.DoesNotContain(all.SkipWhile(e => e != flapping).Skip(1), e => e.Status == WarningStatus.Deescalated);

        // Stable for longer than the flapping window: it settles and then de-escalates normally.
        var later = new List<WarningEvent>();
        for (var i = 0; i < 70; i++)
        {
            later.AddRange(_park.Feed(engine, "S1", "LEL-2", 3, t += 1_000).Select(p => p.Event));
        }

        var settled = Assert.Single(later);
        Assert.False(settled.Flapping);
        Assert.Contains("no longer flapping", settled.Reason, StringComparison.Ordinal);
        Assert.Equal((WarningStatus.Deescalated, WarningLevel.Yellow), (settled.Status, settled.Level));
    }

    [Fact]
    public void A_red_warning_holds_back_lower_warnings_of_its_site_until_it_is_gone()
    {
        var engine = Engine(Gas, Fire);
        var gasRaised = Single(_park.Feed(engine, "S1", "LEL-1", 55, T0));
        var fire = Single(_park.Feed(engine, "S1", "T-1", 90, T0 + 1_000));
        Assert.Equal(("fire", WarningLevel.Red), (fire.Scenario, fire.Level));

        // The gas warning escalates to orange under the red fire warning: held back.
        Assert.Empty(_park.Feed(engine, "S1", "LEL-2", 55, T0 + 2_000));
        Assert.Equal(1, engine.Suppressed);

        // The fire clears; the gas warning is published where it now stands.
        Assert.Empty(_park.Feed(engine, "S1", "T-1", 20, T0 + 3_000));
        var after = _park.Feed(engine, "S1", "T-1", 20, T0 + 14_000).Select(p => p.Event).ToList();
        Assert.Contains(after, e => e is { Scenario: "fire", Status: WarningStatus.Resolved });
        var gas = Assert.Single(after, e => e.Scenario == "gas");
        Assert.Equal((gasRaised.Id, WarningLevel.Orange, WarningStatus.Updated, 2L), (gas.Id, gas.Level, gas.Status, gas.Seq));
    }

    [Fact]
    public void A_silenced_site_raises_nothing_and_a_silenced_sensor_counts_for_nothing()
    {
        var from = DateTimeOffset.FromUnixTimeMilliseconds(T0);
        var siteSilence = new Silence("S1", null, from, from.AddHours(1), "E1 maintenance: Wang", "detector calibration");
        var engine = new ScenarioEngine(_park.Registry, Set(Gas), [siteSilence]);
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 1_000));
        Assert.Single(_park.Feed(engine, "S2", "LEL-1", 30, T0 + 1_000));
        Assert.Single(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 3_600_000)); // the window has ended

        // Out of service is no shelter from the national floor: a second-level alarm raises all the same.
        engine = new ScenarioEngine(_park.Registry, Set(Gas), [siteSilence]);
        var underSilence = Single(_park.Feed(engine, "S1", "LEL-1", 55, T0 + 1_000));
        Assert.Equal(WarningLevel.Yellow, underSilence.Level);
        Assert.Equal(("detector calibration", "E1 maintenance: Wang", (string?)null), underSilence.OutOfService!.Select(o => (o.Reason, o.DeclaredBy, o.Sensor)).Single());

        var sensorSilence = new Silence("S1", "LEL-1", from, from.AddHours(1), "E1 maintenance: Wang", "detector calibration");
        engine = new ScenarioEngine(_park.Registry, Set(Gas), [sensorSilence]);
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 1_000));
        var raised = Single(_park.Feed(engine, "S1", "LEL-2", 30, T0 + 2_000));
        Assert.Equal(WarningLevel.Blue, raised.Level);
        var escalated = Single(_park.Feed(engine, "S1", "LEL-2", 55, T0 + 3_000));
        Assert.Equal(WarningLevel.Yellow, escalated.Level); // LEL-1 at first level counts for nothing: not orange
        Assert.Equal(WarningLevel.Orange, Single(_park.Feed(engine, "S1", "LEL-1", 55, T0 + 4_000)).Level); // at second level it counts
    }

    [Fact]
    public void A_silence_declared_while_running_applies_from_the_next_reading()
    {
        var book = new SilenceBook([]);
        var engine = new ScenarioEngine(_park.Registry, Set(Gas), book);
        var from = DateTimeOffset.FromUnixTimeMilliseconds(T0);
        book.Replace([new Silence("S1", null, from, from.AddHours(1), "E1 maintenance: Wang", "detector calibration")]);
        Assert.Empty(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 1_000));
        book.Replace([]);
        Assert.Single(_park.Feed(engine, "S1", "LEL-1", 30, T0 + 2_000));
    }
}

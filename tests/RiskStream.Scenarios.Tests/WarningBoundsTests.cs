using System.Text.Json;
using RiskStream.Core.Contracts;
using RiskStream.Scenarios.Engine;
using RiskStream.Scenarios.Tests.Support;
using static RiskStream.Scenarios.Tests.Support.TestPark;

namespace RiskStream.Scenarios.Tests;

/// <summary>A warning event and its state record stay under their bound however much is said about the warning.</summary>
public sealed class WarningBoundsTests
{
    private const int Bound = 256 * 1024;
    private readonly TestPark _park = new();

    [Fact]
    public void Forty_acknowledgements_of_sixty_kilobytes_each_keep_the_latest_and_a_count_under_the_bound()
    {
        var engine = new ScenarioEngine(_park.Registry, Set(Gas), silences: null);
        var raised = Assert.Single(_park.Feed(engine, "S1", "LEL-1", 30, T0)).Event;
        var text = new string('x', 60 * 1024);
        PublishedWarning? last = null;
        for (var i = 0; i < 40; i++)
        {
            var events = new List<PublishedWarning>();
            var ack = new Acknowledgement(raised.Id, new Party(PartyType.Enterprise, "E1"), $"operator {i}", DateTimeOffset.FromUnixTimeMilliseconds(T0 + 1_000 + i), text, [.. Enumerable.Repeat("valve closed", 32)]);
            Assert.Equal(AckRefusal.None, engine.Acknowledge(ack, events));
            last = Assert.Single(events);
        }

        var e = last!.Event;
        Assert.InRange(JsonSerializer.SerializeToUtf8Bytes(e, ContractJson.Default.WarningEvent).Length, 1, Bound);
        var latest = Assert.Single(e.Acks);
        Assert.Equal("operator 39", latest.By);
        Assert.Equal(40, Assert.Single(e.AckCounts!).Count);

        var records = new List<WarningStateRecord>();
        engine.DrainChanged(records);
        Assert.All(records, r => Assert.InRange(JsonSerializer.SerializeToUtf8Bytes(r, StateJson.Default.WarningStateRecord).Length, 1, Bound));

        // A redelivered older acknowledgement is a repeat, not a forty-first.
        var repeat = new Acknowledgement(raised.Id, new Party(PartyType.Enterprise, "E1"), "operator 3", DateTimeOffset.FromUnixTimeMilliseconds(T0 + 1_003), text, null);
        Assert.Equal(AckRefusal.Duplicate, engine.Acknowledge(repeat, []));
    }

    [Fact]
    public void Thousands_of_identifications_keep_the_newest_in_the_event_and_a_bounded_number_at_the_site()
    {
        var set = Definitions.ScenarioLoader.LoadFolder(RiskStream.Testing.RepoPaths.Of("config", "scenarios"));
        var engine = new ScenarioEngine(_park.Registry, set);
        var site = _park.Registry.Sites["S1"];
        var all = new List<PublishedWarning>();
        for (var i = 0; i < 3_000; i++)
        {
            engine.Identify(new IdentificationObservation(site, $"substance {i % 7}", ["toxic"], "hidden_danger", 0.9, $"S-{i}", T0 + (i * 100), "raman-library/1"), all);
        }

        // The next event of the warning (an acknowledgement here) carries its identifications, bounded.
        var raised = all.First(p => p.Event.Scenario == "hazardous_substance_found").Event;
        var events = new List<PublishedWarning>();
        Assert.Equal(AckRefusal.None, engine.Acknowledge(new Acknowledgement(raised.Id, new Party(PartyType.Enterprise, "E1"), "safety manager", DateTimeOffset.FromUnixTimeMilliseconds(T0 + 400_000), null, null), events));
        var e = Assert.Single(events).Event;
        Assert.InRange(JsonSerializer.SerializeToUtf8Bytes(e, ContractJson.Default.WarningEvent).Length, 1, Bound);
        Assert.Equal(WarningEventBuilder.MaxIdentifications, e.Identifications!.Count);
        Assert.Equal("S-2999", e.Identifications[^1].Sample);
        Assert.True(e.IdentificationsOmitted > 0);
        Assert.True(e.IdentificationsOmitted + e.Identifications.Count <= ScenarioEngine.MaxIdentificationsPerSite);
    }
}

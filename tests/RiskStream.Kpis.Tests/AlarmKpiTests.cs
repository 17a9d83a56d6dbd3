using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Testing;

namespace RiskStream.Kpis.Tests;

/// <summary>The alarm KPIs against figures worked out by hand for a made-up hour of warnings.</summary>
public sealed class AlarmKpiTests
{
    // 2026-12-02 08:00 UTC = 16:00 China Standard Time: the day window runs from 2026-12-01 16:00 UTC.
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly ParkRegistry Park = ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
    private static readonly SiteDef Site = Park.Sites["SH-HGQ-E04-S1"];
    private static readonly SiteDef Other = Park.SiteList.First(s => s.Enterprise != Site.Enterprise && s.Jurisdiction != Site.Jurisdiction);
    private static readonly Party Owner = new(PartyType.Enterprise, Site.Enterprise.Id);
    private static readonly Party Regulator = new(PartyType.Government, Site.Jurisdiction.Id);

    private static WarningEvent Raise(string id, SiteDef site, DateTimeOffset at, string sensor = "LEL-1", WarningLevel level = WarningLevel.Yellow, string scenario = "combustible_gas_leak") =>
        new(id, 1, scenario, level, WarningStatus.Raised, site.Id, site.Enterprise.Id, site.Jurisdiction.Id, at, at,
            [new SensorEvidence(sensor, SensorKind.CombustibleLel, 30, "%LEL", AlarmLevel.First, 0.4, at)], ["risk/7"], [], [], [])
        {
            Responses = [new PartyResponse(Owner, ResponseRole.Owner, ResponseStatus.Notified, at) { DueAt = at.AddMinutes(3) }, new PartyResponse(Regulator, ResponseRole.Regulator, ResponseStatus.Notified, at) { DueAt = at.AddMinutes(3) }],
        };

    [Fact]
    public void An_hour_of_warnings_gives_the_figures_worked_out_by_hand()
    {
        var kpis = new AlarmKpiCalculator(Park);

        // 08:00-08:10: a flood at the site, 12 raises 40 s apart, gas and toxic in turn, on three sensors in turn.
        for (var i = 0; i < 12; i++)
        {
            kpis.Observe(Raise($"flood:{i}", Site, T0.AddSeconds(i * 40), sensor: $"LEL-{i % 3}", scenario: i % 2 == 0 ? "combustible_gas_leak" : "toxic_gas_release"));
        }

        // 08:20: chattering: fire at the other site raised three times within 50 s, each resolved after 20 s (fleeting).
        for (var i = 0; i < 3; i++)
        {
            var at = T0.AddMinutes(20).AddSeconds(i * 25);
            var raised = Raise($"fire:{i}", Other, at, sensor: "T-1", scenario: "fire");
            kpis.Observe(raised);
            kpis.Observe(raised with { Seq = 2, Status = WarningStatus.Resolved, Time = at.AddSeconds(20), ResolvedAt = at.AddSeconds(20) });
        }

        // flood:0 is acknowledged by the owner after 90 s and by the regulator after 150 s (repeated in two events:
        // counted once); flood:1 goes overdue for both; flood:2 is disposed a false alarm at 08:30, flood:4
        // confirmed at 08:35, flood:6 maintenance at 08:40.
        var ack = Raise("flood:0", Site, T0) with
        {
            Seq = 2, Status = WarningStatus.Acknowledged, Time = T0.AddSeconds(150),
            Responses = [new PartyResponse(Owner, ResponseRole.Owner, ResponseStatus.Acknowledged, T0) { AcknowledgedAt = T0.AddSeconds(90) }, new PartyResponse(Regulator, ResponseRole.Regulator, ResponseStatus.Acknowledged, T0) { AcknowledgedAt = T0.AddSeconds(150) }],
        };
        kpis.Observe(ack);
        kpis.Observe(ack with { Seq = 3 });
        var late = Raise("flood:1", Site, T0.AddSeconds(40));
        kpis.Observe(late with { Seq = 2, Status = WarningStatus.Escalated, Time = T0.AddSeconds(220), Responses = [.. late.Responses!.Select(r => r with { Status = ResponseStatus.Overdue })] });
        foreach (var (i, minute, reason) in new[] { (2, 30, DispositionReason.FalseAlarm), (4, 35, DispositionReason.ConfirmedHazard), (6, 40, DispositionReason.Maintenance) })
        {
            var raised = Raise($"flood:{i}", Site, T0.AddSeconds(i * 40), sensor: $"LEL-{i % 3}");
            kpis.Observe(raised with { Seq = 9, Status = WarningStatus.Closed, Time = T0.AddMinutes(minute), ResolvedAt = T0.AddMinutes(minute - 5), Disposition = new Disposition(reason, Owner, ResponseRole.Owner, "duty", T0.AddMinutes(minute), null) });
        }

        var closed = kpis.Close(T0.AddHours(1));
        Assert.All(closed, k => SchemaAssert.Valid("alarm-kpis.v2.json", System.Text.Json.JsonSerializer.Serialize(k, ContractJson.Default.AlarmKpis)));
        var hourPark = closed.Single(k => k is { Window: "1h", Scope: "park" });
        Assert.Equal((T0, T0.AddHours(1)), (hourPark.From, hourPark.Until));
        Assert.Equal(15, hourPark.Raised);               // 12 + 3
        Assert.Equal(2.5, hourPark.RaisedPer10MinMean);  // 15 over six slots
        Assert.Equal(12, hourPark.RaisedPer10MinPeak);   // 08:00-08:10 (12 raises in 440 s)
        Assert.Equal(0.1667, hourPark.FloodShare);       // one slot of six above 10
        Assert.Equal(1, hourPark.Chattering);            // fire at the other site: 3 within 50 s; the flood's pairs are 80 s apart at best
        Assert.Equal(3, hourPark.Fleeting);              // the three fires, resolved after 20 s
        Assert.Equal(9, hourPark.Active);                // 12 flood warnings, 3 of them resolved
        Assert.Equal(0, hourPark.Standing);
        Assert.Equal(new BadActor("fire", "T-1", 3, 0.2), hourPark.BadActors[0]);                         // the chattering fire
        Assert.Equal(new BadActor("combustible_gas_leak", "LEL-0", 2, 0.1333), hourPark.BadActors[1]);     // flood:0 and :6
        Assert.Equal(7, hourPark.BadActors.Count);
        var ownerAck = hourPark.Acknowledge.Single(a => a.Role == ResponseRole.Owner);
        Assert.Equal((1, 90.0, 90.0), (ownerAck.Count, ownerAck.MedianSeconds, ownerAck.P90Seconds));
        Assert.Equal(150, hourPark.Acknowledge.Single(a => a.Role == ResponseRole.Regulator).MedianSeconds);
        Assert.Equal(2, hourPark.OverdueAcknowledgements);
        Assert.Equal(3, hourPark.Dispositions.Sum(d => d.Count));
        Assert.Equal(0.5, hourPark.FalseAlarmShare);     // one false alarm of two judged (maintenance is not a judgement)
        var dispose = Assert.Single(hourPark.Dispose);
        Assert.Equal((3, 1940.0, 2160.0), (dispose.Count, dispose.MedianSeconds, dispose.P90Seconds)); // 08:30-08:01:20, 08:35-08:02:40, 08:40-08:04:00

        // Scopes: the site's jurisdiction and its parents see the flood, the other site's only the fires.
        var tenFirst = closed.Where(k => k is { Window: "10m" } && k.From == T0).ToList();
        Assert.Equal(12, tenFirst.Single(k => k.Scope == "site" && k.Id == Site.Id).Raised);
        Assert.Equal(12, tenFirst.Single(k => k.Scope == "jurisdiction" && k.Id == Site.Jurisdiction.Id).Raised);
        Assert.DoesNotContain(tenFirst, k => k.Scope == "site" && k.Id == Other.Id);
        Assert.Equal(3, closed.Single(k => k is { Window: "10m", Scope: "site" } && k.Id == Other.Id && k.From == T0.AddMinutes(20)).Raised);
        Assert.Equal(6, closed.Count(k => k is { Window: "10m", Scope: "park" }));

        // Nothing is counted twice: replays of every event after the close change nothing, and the day is not over.
        kpis.Observe(ack);
        Assert.DoesNotContain(kpis.Close(T0.AddHours(1)), k => k.Raised > 0);
        Assert.DoesNotContain(closed, k => k.Window == "1d");
        var day = kpis.Close(new DateTimeOffset(2026, 12, 2, 16, 0, 0, TimeSpan.Zero)).Single(k => k is { Window: "1d", Scope: "park" });
        Assert.Equal((new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.Zero), 15), (day.From, day.Raised));
        Assert.Equal(Math.Round(15 / 144.0, 4), day.RaisedPer10MinMean);
    }

    [Fact]
    public void A_warning_active_a_day_is_standing_and_assistance_is_counted_per_agreement()
    {
        var kpis = new AlarmKpiCalculator(Park);
        var raised = Raise("old", Site, T0.AddHours(-30), level: WarningLevel.Orange);
        kpis.Observe(raised);
        var asked = T0.AddMinutes(5);
        kpis.Observe(raised with
        {
            Seq = 5, Status = WarningStatus.Updated, Time = T0.AddMinutes(20),
            Assistance =
            [
                new AssistanceRequest("hazmat_rescue", "E07", "310116", "project", "come") { Status = AssistanceStatus.Accepted, RequestedAt = asked, AnsweredAt = asked.AddMinutes(4), Eta = asked.AddMinutes(30) },
                new AssistanceRequest("raman_detection", "E02", "310116", "government_purchase", "come") { Status = AssistanceStatus.Unanswered, RequestedAt = asked, AnswerDueAt = asked.AddMinutes(10) },
            ],
        });
        var all = kpis.Close(T0.AddHours(1));
        var hour = all.Where(k => k is { Window: "1h", Scope: "park" }).Last();
        SchemaAssert.Valid("alarm-kpis.v2.json", System.Text.Json.JsonSerializer.Serialize(hour, ContractJson.Default.AlarmKpis));
        SchemaAssert.Invalid("alarm-kpis.v2.json", System.Text.Json.JsonSerializer.Serialize(hour with { Window = "2h" }, ContractJson.Default.AlarmKpis));

        // v2 is v1 and the sensors' setpoint alarms: without those two, a v2 record is a valid v1 one.
        var v1 = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(hour, ContractJson.Default.AlarmKpis))!.AsObject();
        Assert.True(v1.Remove("sensorAlarms") && v1.Remove("chatteringSensors"));
        SchemaAssert.Valid("alarm-kpis.v1.json", v1.ToJsonString());
        Assert.Equal((1, 1), (hour.Active, hour.Standing));
        var rescue = hour.Assistance.Single(a => a.Capability == "hazmat_rescue");
        Assert.Equal((1, 1, 0, 0, 1, 240.0), (rescue.Requested, rescue.Accepted, rescue.Declined, rescue.Unanswered, rescue.Answered, rescue.MedianAnswerSeconds!.Value));
        var raman = hour.Assistance.Single(a => a.Capability == "raman_detection");
        Assert.Equal((1, 0, 1, (double?)null), (raman.Requested, raman.Answered, raman.Unanswered, raman.MedianAnswerSeconds));
    }

    [Theory]
    [InlineData(new double[] { 5 }, 5, 5)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 2.5, 4)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 }, 6, 10)]
    public void Median_and_the_nearest_rank_90th_percentile(double[] sorted, double median, double p90)
    {
        Assert.Equal(median, AlarmKpiFigures.Median(sorted));
        Assert.Equal(p90, AlarmKpiFigures.Rank(sorted, 0.9));
    }

    [Fact]
    public void A_sensor_alarm_activates_on_each_rise_and_chatters_at_three_within_a_minute()
    {
        var kpis = new AlarmKpiCalculator(Park);
        var a = Site.Sensors.ElementAt(0);
        var b = Site.Sensors.ElementAt(1);
        Score At(SensorDef s, int seconds, AlarmLevel alarm) =>
            new($"{s.Id}/{seconds}", Site.Id, s.Id, s.Kind, 1, "%LEL", T0.AddSeconds(seconds), alarm, 0, "m/1", false, new WindowSummary(1, 1, 1, 1, 0), false);

        // a: first reading already in alarm (1), to second (2), down to first (no), none, first (3), second (4) within
        // 50 s: chattering. b: none → first at 0 and 70 s (2 activations, not within a minute of a third).
        // An out-of-order score, and one of a sensor the registry does not know, change nothing.
        foreach (var (s, t, alarm) in new[] { (a, 0, AlarmLevel.First), (a, 10, AlarmLevel.Second), (a, 20, AlarmLevel.First), (a, 30, AlarmLevel.None), (a, 40, AlarmLevel.First), (a, 50, AlarmLevel.Second), (a, 5, AlarmLevel.None), (b, 0, AlarmLevel.First), (b, 30, AlarmLevel.None), (b, 70, AlarmLevel.First) })
        {
            kpis.ObserveScore(At(s, t, alarm));
        }

        kpis.ObserveScore(At(a, 60, AlarmLevel.Second) with { Sensor = "NOT-THERE" });
        var park = kpis.Close(T0.AddMinutes(10)).Single(k => k is { Scope: "park", Window: "10m" });
        Assert.Equal((6, 1, 0), (park.SensorAlarms, park.ChatteringSensors, park.Raised));
    }
}

using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Testing;

namespace RiskStream.Kpis.Tests;

/// <summary>Access, online and intact rates and HJ 212 flags against an hour worked out by hand.</summary>
public sealed class DataQualityTests
{
    private static readonly DateTimeOffset H = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly ParkRegistry Park = ParkRegistry.Load(RepoPaths.Of("config", "park.json"));

    private static Score Reading(SensorDef s, DateTimeOffset ts, bool anomalous = false) =>
        new($"{s.Site.Id}/{s.Id}/{ts.ToUnixTimeMilliseconds()}", s.Site.Id, s.Id, s.Kind, 1, "%LEL", ts, AlarmLevel.None, 0, "m/1", anomalous, new WindowSummary(1, 1, 1, 1, 0), false);

    [Fact]
    public void An_hour_of_one_site_gives_the_flags_and_rates_worked_out_by_hand()
    {
        var site = Park.SiteList.First(s => s.Sensors.Count >= 3);
        var sensors = site.Sensors.ToArray();
        var (a, b, c) = (sensors[0], sensors[1], sensors[2]);
        Assert.All(sensors, s => Assert.Equal(TimeSpan.FromSeconds(10), s.ReportingPeriod)); // 360 periods an hour
        string? OutOfService(string siteId, string sensor, DateTimeOffset t) =>
            siteId == site.Id && sensor == c.Id && t < H.AddMinutes(10) ? "calibration of the detector" : null;
        var quality = new DataQualityCalculator(Park, OutOfService);
        for (var k = 0; k < 360; k++)
        {
            var t = H.AddSeconds((k * 10) + 3);
            // a: 30 periods flagged by the fault detector, 30 with nothing (b reports: stopped), 300 normal.
            if (k >= 30 && k < 60)
            {
                // silent
            }
            else
            {
                quality.Observe(Reading(a, t, anomalous: k < 30));
            }

            quality.Observe(Reading(b, t));
            quality.Observe(Reading(b, t.AddSeconds(2))); // a second reading in the period changes nothing

            // c: out of service for calibration for 10 minutes (60 periods, silent), then 6 periods dead-lettered out of
            // range, and one of them also an unreadable message (the best flag wins), then 294 normal.
            if (k >= 60 && k < 66)
            {
                quality.ObserveRefused(site.Id, c.Id, t, DeadLetterReason.OutOfRange);
                quality.ObserveRefused(site.Id, c.Id, t, DeadLetterReason.MalformedJson);
            }
            else if (k >= 66)
            {
                quality.Observe(Reading(c, t));
            }

            foreach (var other in sensors.Skip(3))
            {
                quality.Observe(Reading(other, t));
            }
        }

        var closed = quality.Close(H.AddHours(1));
        Assert.All(closed, q => SchemaAssert.Valid("data-quality.v1.json", System.Text.Json.JsonSerializer.Serialize(q, ContractJson.Default.DataQuality)));
        var n = sensors.Length - 3;
        var s = closed.Single(q => q is { Scope: "site", Window: "1h" } && q.Id == site.Id);
        Assert.Equal((sensors.Length, sensors.Length, 360L * sensors.Length), (s.Sensors, s.Reporting, s.Expected));
        Assert.Equal(300 + 360 + 294 + (360L * n), s.Flags["normal"]);
        Assert.Equal((30L, 30L, 60L, 6L), (s.Flags["fault"], s.Flags["stopped"], s.Flags["calibration"], s.Flags["over_range"]));
        Assert.False(s.Flags.ContainsKey("communication_fault"));
        Assert.Equal(Math.Round((330 + 360 + 300 + (360.0 * n)) / (360.0 * sensors.Length), 4), s.Online);
        Assert.Equal(Math.Round((300 + 360 + 294 + (360.0 * n)) / (360.0 * sensors.Length), 4), s.Intact);
        var figureA = s.SensorFigures.Single(f => f.Sensor == a.Id);
        Assert.Equal((360L, 0.9167, 0.8333, DataFlag.Normal), (figureA.Expected, figureA.Online, figureA.Intact, figureA.Mostly));
        var figureC = s.SensorFigures.Single(f => f.Sensor == c.Id);
        Assert.Equal((0.8333, 0.8167), (figureC.Online, figureC.Intact));

        // The park: every other site silent the whole hour, a communication fault for each of their periods.
        var park = closed.Single(q => q is { Scope: "park", Window: "1h" });
        var all = Park.SiteList.Sum(x => x.Sensors.Count);
        Assert.Equal((all, sensors.Length), (park.Sensors, park.Reporting));
        Assert.Equal(Math.Round((double)sensors.Length / all, 4), park.Access);
        Assert.Equal(360L * (all - sensors.Length), park.Flags["communication_fault"]);
        Assert.Equal(10, park.SensorFigures.Count); // the ten worst: silent sensors of other sites
        Assert.All(park.SensorFigures, f => Assert.Equal((0.0, DataFlag.CommunicationFault), (f.Intact, f.Mostly)));

        // Late messages for a closed hour are not counted; the day closes at midnight China Standard Time (16:00 UTC) with
        // the hours since the calculator started (08:00-16:00 UTC: eight).
        quality.Observe(Reading(a, H.AddMinutes(7)));
        var day = quality.Close(new DateTimeOffset(2026, 12, 2, 16, 0, 0, TimeSpan.Zero)).Single(q => q is { Scope: "site", Window: "1d" } && q.Id == site.Id);
        Assert.Equal((new DateTimeOffset(2026, 12, 1, 16, 0, 0, TimeSpan.Zero), 8L * 360 * sensors.Length), (day.From, day.Expected));
        Assert.Equal(s.Flags["normal"], day.Flags["normal"]);
        Assert.Equal(s.Flags["stopped"], day.Flags["stopped"]);
    }
}

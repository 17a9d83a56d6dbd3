using System.Text;
using Microsoft.Extensions.Time.Testing;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Simulation;

namespace RiskStream.Codecs.Tests;

public sealed class ReadingDecoderTests
{
    private static readonly ParkRegistry Registry = SyntheticPark.Create(3, 10);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 7, 0, 0, TimeSpan.Zero));

    private DecodeResult Decode(string json, string? key = "SYN-S00001") =>
        new ReadingDecoder(Registry, new InputLimits(), _time).Decode(key is null ? default : Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(json));

    private static string Reading(string site = "SYN-S00001", string sensor = "X003", string kind = "h2s", string value = "4.2", string unit = "ppm", string ts = "2026-11-29T06:59:59.500Z") =>
        $$"""{"site":"{{site}}","sensor":"{{sensor}}","kind":"{{kind}}","value":{{value}},"unit":"{{unit}}","ts":"{{ts}}"}""";

    [Fact]
    public void A_valid_reading_decodes_to_its_registered_sensor_and_canonical_value()
    {
        var r = Decode(Reading(unit: "mg/m3", value: "10"));
        Assert.True(r.IsValid);
        Assert.Equal("X003", r.Reading.Sensor.Id);
        Assert.Equal(10 * 24.04 / 34.08, r.Reading.Value, 9);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 6, 59, 59, 500, TimeSpan.Zero).ToUnixTimeMilliseconds(), r.Reading.TsMs);
    }

    [Fact]
    public void Unknown_fields_are_ignored_for_forward_compatibility() =>
        Assert.True(Decode(Reading().TrimEnd('}') + ",\"firmware\":{\"v\":[1,2]}}").IsValid);

    [Theory]
    [InlineData("not json", DeadLetterReason.MalformedJson)]
    [InlineData("[1,2]", DeadLetterReason.MalformedJson)]
    [InlineData("""{"site":"SYN-S00001","sensor":"X003","kind":"h2s","value":NaN,"unit":"ppm","ts":"2026-11-29T06:59:59Z"}""", DeadLetterReason.NonFinite)]
    [InlineData("""{"site":"SYN-S00001","sensor":"X003","kind":"h2s","value":"Infinity","unit":"ppm","ts":"2026-11-29T06:59:59Z"}""", DeadLetterReason.NonFinite)]
    [InlineData("""{"site":"SYN-S00001","sensor":"X003","kind":"h2s","value":1e400,"unit":"ppm","ts":"2026-11-29T06:59:59Z"}""", DeadLetterReason.NonFinite)]
    [InlineData("""{"site":"SYN-S00001","sensor":"X003","kind":"h2s","unit":"ppm","ts":"2026-11-29T06:59:59Z"}""", DeadLetterReason.MissingField)]
    [InlineData("""{"site":"SYN-S00001","sensor":"X003","kind":"h2s","value":1,"unit":"ppm","ts":"not a time"}""", DeadLetterReason.MalformedJson)]
    public void Bad_documents_are_refused_with_their_reason(string json, DeadLetterReason reason)
    {
        var r = Decode(json);
        Assert.False(r.IsValid);
        Assert.Equal(reason, r.Reason);
        Assert.False(string.IsNullOrWhiteSpace(r.Detail));
    }

    [Theory]
    [InlineData("SYN-S99999", "X003", "h2s", "1", "ppm", DeadLetterReason.UnknownSite)]
    [InlineData("SYN-S00001", "X999", "h2s", "1", "ppm", DeadLetterReason.UnknownSensor)]
    [InlineData("SYN-S00001", "X003", "methane", "1", "ppm", DeadLetterReason.UnknownKind)]
    [InlineData("SYN-S00001", "X003", "co", "1", "ppm", DeadLetterReason.KindMismatch)]
    [InlineData("SYN-S00001", "X003", "h2s", "1", "%LEL", DeadLetterReason.WrongUnit)]
    [InlineData("SYN-S00001", "X003", "h2s", "-50", "ppm", DeadLetterReason.OutOfRange)]
    public void Readings_that_contradict_the_registry_or_physics_are_refused(string site, string sensor, string kind, string value, string unit, DeadLetterReason reason)
    {
        var r = Decode(Reading(site, sensor, kind, value, unit), key: site);
        Assert.Equal(reason, r.Reason);
    }

    [Fact]
    public void A_timestamp_more_than_an_hour_ahead_is_refused_and_one_just_inside_is_accepted()
    {
        Assert.Equal(DeadLetterReason.FutureTimestamp, Decode(Reading(ts: "2026-11-29T08:00:01Z")).Reason);
        Assert.True(Decode(Reading(ts: "2026-11-29T07:59:59Z")).IsValid);
    }

    [Fact]
    public void The_key_must_be_the_site_id()
    {
        Assert.Equal(DeadLetterReason.KeyMismatch, Decode(Reading(), key: "SYN-S00002").Reason);
        Assert.Equal(DeadLetterReason.KeyMismatch, Decode(Reading(), key: null).Reason);
    }

    [Fact]
    public void Oversized_messages_are_refused_before_parsing()
    {
        var big = Reading().TrimEnd('}') + ",\"pad\":\"" + new string('x', 70_000) + "\"}";
        Assert.Equal(DeadLetterReason.Oversized, Decode(big).Reason);
    }

    [Fact]
    public void Very_long_ids_are_refused_not_truncated() =>
        Assert.Equal(DeadLetterReason.OutOfRange, Decode(Reading(site: new string('S', 500))).Reason);
}

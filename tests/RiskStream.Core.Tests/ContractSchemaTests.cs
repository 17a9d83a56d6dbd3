using System.Text.Json;
using RiskStream.Core.Contracts;
using RiskStream.Testing;

namespace RiskStream.Core.Tests;

public sealed class ContractSchemaTests
{
    private static readonly DateTimeOffset T = new(2026, 11, 29, 7, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public void Written_reading_validates_and_round_trips()
    {
        var reading = new Reading("SH-HGQ-E03-S1", "T101-LEL-1", SensorKind.CombustibleLel, 12.5, "%LEL", T);
        var json = JsonSerializer.Serialize(reading, ContractJson.Default.Reading);
        SchemaAssert.Valid("reading.v1.json", json);
        Assert.Contains("\"kind\":\"combustible_lel\"", json, StringComparison.Ordinal);
        Assert.Equal(reading, JsonSerializer.Deserialize(json, ContractJson.Default.Reading));
        Assert.Equal("SH-HGQ-E03-S1/T101-LEL-1/" + T.ToUnixTimeMilliseconds(), reading.Id);
    }

    [Fact]
    public void The_design_example_reading_validates() =>
        SchemaAssert.Valid("reading.v1.json", """{"site":"SH-HGQ-E03-S1","sensor":"T101-LEL-1","kind":"combustible_lel","value":12.5,"unit":"%LEL","ts":"2026-11-29T07:00:00.123Z"}""");

    [Theory]
    [InlineData("""{"sensor":"T","kind":"co","value":1,"unit":"ppm","ts":"2026-11-29T07:00:00Z"}""")]
    [InlineData("""{"site":"S","sensor":"T","kind":"co","value":"1","unit":"ppm","ts":"2026-11-29T07:00:00Z"}""")]
    [InlineData("""{"site":"S","sensor":"T","kind":"methane","value":1,"unit":"ppm","ts":"2026-11-29T07:00:00Z"}""")]
    [InlineData("""{"site":"S","sensor":"T","kind":"combustible_lel","value":1,"unit":"ppm","ts":"2026-11-29T07:00:00Z"}""")]
    [InlineData("""{"site":"S","sensor":"T","kind":"co","value":1,"unit":"ppm","ts":"yesterday"}""")]
    public void Bad_readings_are_rejected_by_the_schema(string json) => SchemaAssert.Invalid("reading.v1.json", json);

    [Fact]
    public void Written_spectrum_validates_and_bad_ones_do_not()
    {
        var spectrum = new Spectrum("S", "RM-7", "INSP-2026-1129-003", SpectrumPurpose.HiddenDanger, T, 785, null, new SpectrumAxis(200, 1, 3), [1, 2, 3]);
        SchemaAssert.Valid("spectrum.v1.json", JsonSerializer.Serialize(spectrum, ContractJson.Default.Spectrum));
        SchemaAssert.Invalid("spectrum.v1.json", JsonSerializer.Serialize(spectrum with { Axis = null }, ContractJson.Default.Spectrum));
        SchemaAssert.Invalid("spectrum.v1.json", JsonSerializer.Serialize(spectrum with { Intensities = new double[16_385] }, ContractJson.Default.Spectrum));
    }

    [Fact]
    public void Written_acknowledgement_validates_and_bad_ones_do_not()
    {
        var ack = new Acknowledgement("w1", new Party(PartyType.Enterprise, "E01"), "Li Wei", T, "on site", ["isolated valve V-12"]);
        var json = JsonSerializer.Serialize(ack, ContractJson.Default.Acknowledgement);
        SchemaAssert.Valid("acknowledgement.v1.json", json);
        Assert.Contains("\"type\":\"ent\"", json, StringComparison.Ordinal);
        SchemaAssert.Invalid("acknowledgement.v1.json", json.Replace("\"ent\"", "\"citizen\"", StringComparison.Ordinal));
        SchemaAssert.Valid("acknowledgement.v2.json", json);

        // v2: every kind of answer, and what each kind needs.
        var dispose = ack with { Kind = ResponseKind.Dispose, Disposition = DispositionReason.FalseAlarm };
        SchemaAssert.Valid("acknowledgement.v2.json", JsonSerializer.Serialize(dispose, ContractJson.Default.Acknowledgement));
        SchemaAssert.Invalid("acknowledgement.v2.json", JsonSerializer.Serialize(dispose with { Disposition = null }, ContractJson.Default.Acknowledgement));
        var shelve = ack with { Kind = ResponseKind.Shelve, Sensor = "LEL-1", Until = T.AddHours(1) };
        SchemaAssert.Valid("acknowledgement.v2.json", JsonSerializer.Serialize(shelve, ContractJson.Default.Acknowledgement));
        SchemaAssert.Invalid("acknowledgement.v2.json", JsonSerializer.Serialize(shelve with { Until = null }, ContractJson.Default.Acknowledgement));
        var answer = ack with { Kind = ResponseKind.Assistance, Capability = "hazmat_rescue", Answer = AssistanceAnswer.Accept, Eta = T.AddMinutes(20) };
        SchemaAssert.Valid("acknowledgement.v2.json", JsonSerializer.Serialize(answer, ContractJson.Default.Acknowledgement));
        SchemaAssert.Invalid("acknowledgement.v2.json", JsonSerializer.Serialize(answer, ContractJson.Default.Acknowledgement).Replace("\"accept\"", "\"maybe\"", StringComparison.Ordinal));
        SchemaAssert.Valid("acknowledgement.v2.json", JsonSerializer.Serialize(ack with { Kind = ResponseKind.Receipt }, ContractJson.Default.Acknowledgement));
    }

    [Fact]
    public void Written_warning_validates_and_bad_ones_do_not()
    {
        var w = new WarningEvent(
            "combustible_gas_leak:S:1", 1, "combustible_gas_leak", WarningLevel.Orange, WarningStatus.Escalated, "S", "E01", "310116", T, T,
            [new SensorEvidence("LEL-1", SensorKind.CombustibleLel, 55, "%LEL", AlarmLevel.Second, 0.92, T)],
            ["setpoint-baseline/1"],
            [new Audience(PartyType.Government, "310116", "site jurisdiction")],
            ["ventilate"],
            [new AckRecord(new Party(PartyType.Government, "310116"), "duty officer", T, "seen")]);
        var json = JsonSerializer.Serialize(w, ContractJson.Default.WarningEvent);
        SchemaAssert.Valid("warning.v1.json", json);
        SchemaAssert.Valid("warning.v3.json", json);
        var counted = JsonSerializer.Serialize(w with { AckCounts = [new AckSummary(new Party(PartyType.Government, "310116"), 3, T, T)], EvidenceOmitted = 4 }, ContractJson.Default.WarningEvent);
        SchemaAssert.Valid("warning.v3.json", counted);
        SchemaAssert.Invalid("warning.v3.json", counted.Replace("\"count\":3", "\"count\":0", StringComparison.Ordinal));
        var owner = new Party(PartyType.Enterprise, "E01");
        var closed = JsonSerializer.Serialize(
            w with
            {
                Status = WarningStatus.Closed,
                Responses = [new PartyResponse(owner, ResponseRole.Owner, ResponseStatus.Overdue, T) { DueAt = T.AddMinutes(5) }],
                Disposition = new Disposition(DispositionReason.ConfirmedHazard, owner, ResponseRole.Owner, "Chen", T, "flange leak") { ConfirmedBy = new Party(PartyType.Government, "310116"), ConfirmedByName = "Li", ConfirmedAt = T },
                Shelved = [new Shelf("LEL-1", owner, "Chen", T, T.AddHours(1), "chattering after calibration")],
                Trail = [new TrailEntry(T, owner, ResponseRole.Owner, "Chen", ResponseKind.Dispose, "confirmed_hazard")],
                Assistance = [new AssistanceRequest("hazmat_rescue", "E04", "310116", "project", "stand by") { Status = AssistanceStatus.Accepted, Eta = T.AddMinutes(20) }],
            },
            ContractJson.Default.WarningEvent);
        SchemaAssert.Valid("warning.v3.json", closed);
        SchemaAssert.Invalid("warning.v2.json", closed);
        SchemaAssert.Invalid("warning.v3.json", closed.Replace("\"overdue\"", "\"late\"", StringComparison.Ordinal));
        SchemaAssert.Invalid("warning.v1.json", json.Replace("\"orange\"", "\"purple\"", StringComparison.Ordinal));
        SchemaAssert.Invalid("warning.v1.json", json.Replace("\"seq\":1", "\"seq\":0", StringComparison.Ordinal));
    }

    [Fact]
    public void Written_dead_letter_validates_and_carries_the_original_bytes()
    {
        var original = "{\"site\":"u8.ToArray();
        var d = new DeadLetter(DeadLetterReason.MalformedJson, "not valid JSON", "riskstream.readings", 2, 41, T, "S"u8.ToArray(), original) { ValueLength = original.Length, ValueSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(original)) };
        var json = JsonSerializer.Serialize(d, ContractJson.Default.DeadLetter);
        SchemaAssert.Valid("deadletter.v3.json", json);
        Assert.Equal(original, JsonSerializer.Deserialize(json, ContractJson.Default.DeadLetter)!.Value);
        SchemaAssert.Invalid("deadletter.v3.json", json.Replace("malformed_json", "because", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_dead_letter_reason_is_in_the_schema()
    {
        foreach (var reason in Enum.GetValues<DeadLetterReason>())
        {
            var d = new DeadLetter(reason, "x", "t", 0, 0, T, null, [1]) { ValueLength = 1, ValueSha256 = new string('a', 64) };
            SchemaAssert.Valid("deadletter.v3.json", JsonSerializer.Serialize(d, ContractJson.Default.DeadLetter));
        }
    }
}

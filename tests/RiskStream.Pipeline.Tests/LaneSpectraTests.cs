using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Time.Testing;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.Testing;
using RiskStream.Kafka;
using RiskStream.Pipeline.Lanes;
using RiskStream.Pipeline.State;
using RiskStream.Codecs;
using RiskStream.Raman;
using RiskStream.Raman.Processing;
using RiskStream.Scenarios.Definitions;
using RiskStream.Simulation;

namespace RiskStream.Pipeline.Tests;

/// <summary>The spectra lane: spectra in, identifications and Raman-driven warnings out; bad spectra to the dead letters.</summary>
public sealed class LaneSpectraTests
{
    private static readonly ParkRegistry Registry = ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
    private static readonly ScenarioSet Scenarios = ScenarioLoader.LoadFolder(RepoPaths.Of("config", "scenarios"));
    private static readonly Lazy<Identifier> Search = new(() => RiskStream.Raman.Library.Open(RepoPaths.Of("models", "raman", "library")));

    private static readonly DateTimeOffset Now = new(2026, 11, 29, 7, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly PipelineMetrics _metrics = PipelineMetrics.Unregistered();
    private readonly SensorLane _lane;
    private long _offset;

    public LaneSpectraTests() => _lane = new SensorLane(new PipelineContext
    {
        Registry = Registry,
        Options = new PipelineOptions(),
        Scenarios = Scenarios,
        Time = _time,
        Metrics = _metrics,
        Identifier = Search.Value,
    });

    private ProducerEnvelope<ConsumedBatch> Process(string key, byte[] value)
    {
        var message = new ConsumeResult<byte[]?, byte[]?>
        {
            TopicPartitionOffset = new TopicPartitionOffset(Topics.Spectra, 1, _offset++),
            Message = new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(key), Value = value, Timestamp = new Timestamp(Now) },
        };
        var progress = new PartitionProgress(new TopicPartition(Topics.Spectra, 1));
        var range = progress.Register(message.Offset.Value, message.Offset.Value);
        return _lane.Process(new LaneWork(new ConsumedBatch(Topics.Spectra, 1, [message], range), 0, [message]));
    }

    private static Spectrum Measured(string substance, string site, SpectrumPurpose purpose, int seed)
    {
        var axis = Synthesis.Axis();
        var reference = Search.Value.References.Single(r => r.Name == substance);
        var y = Synthesis.Measure(reference, axis, new Conditions(25), new Random(seed));
        return new Spectrum(site, "RM-7", $"INSP-2026-1129-{seed:000}", purpose, Now, 785, axis, null, y);
    }

    private ProducerEnvelope<ConsumedBatch> Send(Spectrum s) => Process(s.Site, JsonSerializer.SerializeToUtf8Bytes(s, ContractJson.Default.Spectrum));

    [Fact]
    public void An_explosive_found_in_a_hidden_danger_inspection_is_published_and_raises_an_orange_warning()
    {
        var envelope = Send(Measured("2,4,6-Trinitrotoluene (TNT)", "SH-HGQ-E02-S1", SpectrumPurpose.HiddenDanger, seed: 3));

        var json = Encoding.UTF8.GetString(envelope.Messages.Single(m => m.Topic == Topics.Identifications).Value);
        SchemaAssert.Valid("identification.v2.json", json);
        SchemaAssert.Valid("identification.v1.json", json);
        var identification = JsonSerializer.Deserialize(json, ContractJson.Default.IdentificationEvent)!;
        Assert.Equal(("2,4,6-Trinitrotoluene (TNT)", "118-96-7", false), (identification.Substance, identification.Cas, identification.Unknown));
        Assert.Equal(["explosive", "toxic"], identification.HazardClasses);
        Assert.Equal(("SH-HGQ-E02-S1", "E02", "INSP-2026-1129-003", SpectrumPurpose.HiddenDanger), (identification.Site, identification.Enterprise, identification.Sample, identification.Purpose));
        Assert.Equal(Search.Value.Version, identification.Library);
        Assert.Equal("SH-HGQ-E02-S1/RM-7/INSP-2026-1129-003/" + Now.ToUnixTimeMilliseconds(), identification.Id);
        Assert.True(identification.Score > 0.8, $"score {identification.Score}");

        var warning = JsonSerializer.Deserialize(envelope.Messages.Single(m => m.Topic == Topics.Warnings).Value, ContractJson.Default.WarningEvent)!;
        Assert.Equal(("hazardous_substance_found", WarningLevel.Orange), (warning.Scenario, warning.Level));
        var evidence = Assert.Single(warning.Identifications!);
        Assert.Equal(("2,4,6-Trinitrotoluene (TNT)", "explosive"), (evidence.Substance, evidence.HazardClass));
        Assert.Equal(["explosive", "toxic"], evidence.HazardClasses);
        Assert.Contains($"raman-library/{Search.Value.Version}", warning.Models);
        Assert.Equal(1, _metrics.Spectra.WithLabels("identified").Value);
    }

    [Fact]
    public void A_substance_not_in_the_library_is_published_as_unknown_and_raises_nothing()
    {
        var axis = Synthesis.Axis();
        var random = new Random(12);
        var y = Synthesis.Measure(Evaluation.Stranger(random), axis, new Conditions(30), random);
        var envelope = Send(new Spectrum("SH-HGQ-E01-S1", "RM-2", "INSP-X", SpectrumPurpose.Monitoring, Now, 785, null, new SpectrumAxis(axis[0], axis[1] - axis[0], axis.Length), y));
        var identification = JsonSerializer.Deserialize(envelope.Messages.Single(m => m.Topic == Topics.Identifications).Value, ContractJson.Default.IdentificationEvent)!;
        Assert.True(identification.Unknown);
        Assert.Null(identification.Substance);
        Assert.Empty(identification.HazardClasses);
        Assert.DoesNotContain(envelope.Messages, m => m.Topic == Topics.Warnings);
    }

    [Fact]
    public void The_simulated_inspector_feeds_the_lane_and_its_library_substances_are_named()
    {
        var inspector = new InspectionSimulator(Registry, Search.Value.References.ToList(), seed: 5);
        var seen = 0;
        for (var i = 0; i < 20; i++)
        {
            var inspection = inspector.Next(Now.AddMinutes(i));
            var envelope = Send(inspection.Spectrum);
            var identification = JsonSerializer.Deserialize(envelope.Messages.Single(m => m.Topic == Topics.Identifications).Value, ContractJson.Default.IdentificationEvent)!;
            if (inspection.Truth is not null)
            {
                seen++;

                // The species, or its family with the species the most likely member (a nitrate's ν1 band alone).
                Assert.Equal(inspection.Truth, identification.Substance ?? identification.Candidates[0].Name);
                Assert.True(identification.Substance is not null || identification.Family is not null);
            }
        }

        Assert.True(seen >= 10, $"{seen} library substances among 20 inspections");
    }

    [Fact]
    public void A_nitrate_shown_only_by_its_family_bands_is_a_finding_that_keeps_the_classes_of_the_species_most_like_it()
    {
        // Ammonium nitrate's spectrum is the nitrate ion's: the answer is "a nitrate" (oxidizer), most like ammonium
        // nitrate, and the warning weighs that species' classes too (explosive: orange), failing safe.
        var envelope = Send(Measured("Ammonium nitrate", "SH-HGQ-E01-S1", SpectrumPurpose.HiddenDanger, seed: 3));
        var identification = JsonSerializer.Deserialize(envelope.Messages.Single(m => m.Topic == Topics.Identifications).Value, ContractJson.Default.IdentificationEvent)!;
        Assert.Null(identification.Substance);
        Assert.Equal("a nitrate", identification.Family!.Name);
        Assert.Equal(["oxidizer"], identification.Family.HazardClasses);
        Assert.Equal(["explosive", "oxidizer"], identification.HazardClasses);
        Assert.Equal("Ammonium nitrate", identification.Candidates[0].Name);
        SchemaAssert.Valid("identification.v2.json", System.Text.Encoding.UTF8.GetString(envelope.Messages.Single(m => m.Topic == Topics.Identifications).Value!));

        var warning = JsonSerializer.Deserialize(envelope.Messages.Single(m => m.Topic == Topics.Warnings).Value, ContractJson.Default.WarningEvent)!;
        Assert.Equal(("hazardous_substance_found", WarningLevel.Orange), (warning.Scenario, warning.Level));
        Assert.Contains(warning.Identifications!, i => i.Substance == "a nitrate" && i.HazardClass == "explosive");
    }

    [Fact]
    public void A_flammable_solvent_gives_a_blue_warning()
    {
        var blue = Send(Measured("Ethanol", "SH-HGQ-E05-S1", SpectrumPurpose.HiddenDanger, seed: 8));
        var warning = JsonSerializer.Deserialize(blue.Messages.Single(m => m.Topic == Topics.Warnings).Value, ContractJson.Default.WarningEvent)!;
        Assert.Equal(WarningLevel.Blue, warning.Level);
    }

    public static TheoryData<string, string, DeadLetterReason> BadSpectra()
    {
        var axis = string.Join(",", Enumerable.Range(0, 600).Select(i => (200 + (i * 5)).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var ys = string.Join(",", Enumerable.Range(0, 600).Select(i => (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        string Body(string site = "SH-HGQ-E01-S1", string points = "", string extra = "") =>
            $$"""{"site":"{{site}}","device":"RM-7","sample":"S1","purpose":"hidden_danger","ts":"2026-11-29T07:00:00Z","laserNm":785{{extra}},{{(points.Length > 0 ? points : $"\"wavenumbers\":[{axis}],\"intensities\":[{ys}]")}}}""";
        var tooMany = string.Join(",", Enumerable.Repeat("1", 16_385));
        return new TheoryData<string, string, DeadLetterReason>
        {
            { "SH-HGQ-E01-S1", Body(points: $"\"axis\":{{\"start\":100,\"step\":0.2,\"count\":16385}},\"intensities\":[{tooMany}]"), DeadLetterReason.TooManyPoints },
            { "SH-HGQ-E01-S1", Body(points: $"\"wavenumbers\":[{axis}],\"intensities\":[NaN,{ys[2..]}]"), DeadLetterReason.NonFinite },
            { "NOWHERE", Body(site: "NOWHERE"), DeadLetterReason.UnknownSite },
            { "SH-HGQ-E02-S1", Body(), DeadLetterReason.KeyMismatch },
            { "SH-HGQ-E01-S1", Body(points: $"\"axis\":{{\"start\":800,\"step\":0.3,\"count\":600}},\"intensities\":[{ys}]"), DeadLetterReason.OutOfRange },
            { "SH-HGQ-E01-S1", Body(points: $"\"axis\":{{\"start\":785,\"step\":1,\"count\":600}},\"intensities\":[{ys}]").Replace("785,", "785,", StringComparison.Ordinal).Replace("\"start\":785", "\"start\":10785", StringComparison.Ordinal), DeadLetterReason.WrongUnit },
            { "SH-HGQ-E01-S1", Body(points: $"\"axis\":{{\"start\":200,\"step\":1,\"count\":599}},\"intensities\":[{ys}]"), DeadLetterReason.OutOfRange },
            { "SH-HGQ-E01-S1", Body(points: $"\"intensities\":[{ys}]"), DeadLetterReason.MissingField },
            { "SH-HGQ-E01-S1", Body().Replace("hidden_danger", "curiosity", StringComparison.Ordinal), DeadLetterReason.MalformedJson },
            { "SH-HGQ-E01-S1", "{\"site\":", DeadLetterReason.MalformedJson },
            { "SH-HGQ-E01-S1", Body().Replace("2026-11-29T07:00:00Z", "2026-11-29T09:00:00Z", StringComparison.Ordinal), DeadLetterReason.FutureTimestamp },
        };
    }

    [Theory]
    [MemberData(nameof(BadSpectra))]
    public void A_bad_spectrum_goes_to_the_dead_letters_with_its_reason_and_bytes(string key, string body, DeadLetterReason reason)
    {
        var envelope = Process(key, Encoding.UTF8.GetBytes(body));
        var letter = JsonSerializer.Deserialize(envelope.Messages.Single(m => m.Topic == Topics.DeadLetter).Value, ContractJson.Default.DeadLetter)!;
        Assert.Equal(reason, letter.Reason);
        Assert.Equal(Topics.Spectra, letter.Topic);
        Assert.Equal(body, Encoding.UTF8.GetString(letter.Value));
        Assert.DoesNotContain(envelope.Messages, m => m.Topic == Topics.Identifications);
        SchemaAssert.Valid("deadletter.v3.json", Encoding.UTF8.GetString(envelope.Messages.Single(m => m.Topic == Topics.DeadLetter).Value));
    }
}

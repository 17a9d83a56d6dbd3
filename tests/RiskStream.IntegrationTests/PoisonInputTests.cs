using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Core.Registry;
using RiskStream.IntegrationTests.Support;
using RiskStream.Kafka;
using RiskStream.Simulation;
using RiskStream.Testing;

namespace RiskStream.IntegrationTests;

/// <summary>
/// The end-to-end proof of fail-safe input (issue 11): valid readings of a leaking site with one of every poison
/// class at random offsets on the readings, spectra and acknowledgement topics. Every valid reading is scored, every
/// poison is one dead letter with its reason, the group commits to the end of every partition, nothing restarts, and
/// every warning event and state record stays under its bound while the owner acknowledges forty times at the
/// longest text accepted.
/// </summary>
public sealed class PoisonInputTests : IDisposable
{
    private const string SiteId = "SH-HGQ-E04-S1";
    private const int MaxWarningBytes = 256 * 1024;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset Base = DateTimeOffset.UtcNow.AddMinutes(-10);
    private readonly EmbeddedBroker _broker = EmbeddedBroker.Start();
    private readonly ParkRegistry _park = ParkRegistry.Load(RepoPaths.Of("config", "park.json"));
    private readonly IProducer<byte[]?, byte[]> _producer;

    public PoisonInputTests()
    {
        _broker.EnsureTopics([.. Topics.All(_park)]);
        _producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerSettings { BootstrapServers = _broker.BootstrapServers }.ToConfig()).Build();
    }

    private sealed record Poison(string Name, string Topic, byte[] Value, DeadLetterReason Reason)
    {
        public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(Value));
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static string ReadingJson(string site, string sensor, double value, int second) =>
        $$"""{"site":"{{site}}","sensor":"{{sensor}}","kind":"combustible_lel","value":{{value}},"unit":"%LEL","ts":"{{Base.AddSeconds(second):O}}"}""";

    private static byte[] AckJson(string by, string text, int second) => JsonSerializer.SerializeToUtf8Bytes(
        new Acknowledgement("W-unknown", new Party(PartyType.Enterprise, "E04"), by, Base.AddSeconds(second), text, []), ContractJson.Default.Acknowledgement);

    private static List<Poison> Poisons(SensorDef lel)
    {
        var site = lel.Site.Id;
        var invalidUtf8 = Utf8(ReadingJson(site, lel.Id, 1, 3));
        invalidUtf8[10] = 0xC3;
        invalidUtf8[11] = 0x28;
        var huge = new double[Spectrum.MaxPoints / 4];
        for (var i = 0; i < huge.Length; i++)
        {
            huge[i] = i % 2 == 0 ? 1e200 : -1e200;
        }

        var spectrum = new Spectrum(site, "RM-7", "INSP-POISON", SpectrumPurpose.HiddenDanger, Base.AddSeconds(5), 785, null, new SpectrumAxis(200, 0.5, huge.Length), huge);
        var longText = new string('x', 60 * 1024);
        var poisons = new List<Poison>
        {
            new("lone surrogate in the site", Topics.Readings, Utf8(ReadingJson(@"\ud800X", lel.Id, 1, 2)), DeadLetterReason.MalformedJson),
            new("control character in the sensor", Topics.Readings, Utf8(ReadingJson(site, @"T\u0001", 1, 2)), DeadLetterReason.UnknownSensor),
            new("invalid UTF-8", Topics.Readings, invalidUtf8, DeadLetterReason.MalformedJson),
            new("deep nesting", Topics.Readings, Utf8("{\"site\":" + new string('[', 10_000)), DeadLetterReason.MalformedJson),
            new("a ~900 KB document", Topics.Readings, Utf8(ReadingJson(site, lel.Id, 1, 4)[..^1] + ",\"pad\":\"" + new string('p', 900_000) + "\"}"), DeadLetterReason.Oversized),
            new("a spectrum of ±1e200", Topics.Spectra, JsonSerializer.SerializeToUtf8Bytes(spectrum, ContractJson.Default.Spectrum), DeadLetterReason.OutOfRange),
            new("an ack with a control character", Topics.EnterpriseAcks("E04"), AckJson("Zhao\u0007", "isolated", 6), DeadLetterReason.InvalidText),
        };
        for (var i = 0; i < 40; i++)
        {
            poisons.Add(new($"an ack with 60 KiB of text #{i}", Topics.EnterpriseAcks("E04"), AckJson("Zhao", longText, 7 + i), DeadLetterReason.InvalidText));
        }

        return poisons;
    }

    [Fact]
    public async Task Every_poison_is_one_dead_letter_with_its_reason_and_the_early_warning_goes_on()
    {
        var site = _park.Sites[SiteId];
        var lel = site.Sensors.Where(s => s.Kind == SensorKind.CombustibleLel).OrderBy(s => s.Id, StringComparer.Ordinal).Take(2).ToList();
        var poisons = Poisons(lel[0]);
        using var warnings = new TopicRecorder(_broker.BootstrapServers, Topics.Warnings, v => JsonSerializer.Deserialize(v, ContractJson.Default.WarningEvent)!.Id);
        using var states = new TopicRecorder(_broker.BootstrapServers, Topics.WarningState, v => v.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var scores = new TopicRecorder(_broker.BootstrapServers, Topics.Scores, v => JsonDocument.Parse(v).RootElement.GetProperty("id").GetString()!);
        using var letters = new TopicRecorder(_broker.BootstrapServers, Topics.DeadLetter, v => JsonSerializer.Deserialize(v, ContractJson.Default.DeadLetter)!.ValueSha256);
        await using var pipeline = new PipelineInstance(_broker.BootstrapServers, _park, "g-poison", "poison", Topics.AckTopics(_park), Library());

        // 1,000 valid readings: every sensor of the site each second for 100 s, two gas detectors at 60 %LEL from
        // 10 s; the poisons at random positions among them.
        var random = new Random(11);
        var noise = new Random(7);
        var at = poisons.ToDictionary(p => p, _ => random.Next(0, 1000));
        var valid = new HashSet<string>(StringComparer.Ordinal);
        var n = 0;
        for (var t = 0; t < 100; t++)
        {
            foreach (var sensor in site.Sensors)
            {
                foreach (var p in poisons.Where(p => at[p] == n))
                {
                    Send(p.Topic, p.Value);
                }

                var normal = (sensor.Baseline ?? ParkSimulator.DefaultBaseline(sensor.Kind)) * (1 + ((noise.NextDouble() - 0.5) * 0.02));
                var reading = new Reading(site.Id, sensor.Id, sensor.Kind, Math.Round(lel.Contains(sensor) && t >= 10 ? 60 + noise.NextDouble() : normal, 4), sensor.Kind.CanonicalUnit(), Base.AddSeconds(t));
                Send(Topics.Readings, JsonSerializer.SerializeToUtf8Bytes(reading, ContractJson.Default.Reading));
                valid.Add(reading.Id);
                n++;
            }
        }

        _producer.Flush(TimeSpan.FromSeconds(30));
        Assert.Equal(1_000, valid.Count);

        // The owner acknowledges forty times with the longest text and name accepted: each is newer, each replaces
        // the last, and no event or state record grows past its bound.
        await Eventually.TrueAsync(() => Events(warnings).Any(e => e.Site == SiteId && e.Status == WarningStatus.Raised), Deadline, "the leak warning");
        var raised = Events(warnings).First(e => e.Site == SiteId && e.Status == WarningStatus.Raised);
        for (var i = 0; i < 40; i++)
        {
            var ack = new Acknowledgement(raised.Id, new Party(PartyType.Enterprise, "E04"), "control room " + new string('z', 100) + i, Base.AddSeconds(101 + i), new string('t', 2000), ["nitrogen purge started"]);
            Send(Topics.EnterpriseAcks("E04"), JsonSerializer.SerializeToUtf8Bytes(ack, ContractJson.Default.Acknowledgement));
        }

        _producer.Flush(TimeSpan.FromSeconds(30));

        await Eventually.TrueAsync(() => valid.IsSubsetOf(scores.Records.Select(r => r.Id)), Deadline, () => $"every valid reading scored ({scores.Records.Count} of {valid.Count})");
        await Eventually.TrueAsync(() => poisons.All(p => letters.Records.Any(l => l.Id == p.Sha256)), Deadline, () => "a dead letter for every poison; missing: " + string.Join(", ", poisons.Where(p => letters.Records.All(l => l.Id != p.Sha256)).Select(p => p.Name)));
        await Eventually.TrueAsync(() => pipeline.Metrics.Acks.WithLabels("ent", "accepted").Value >= 40, Deadline, () => $"the forty acknowledgements recorded (accepted {pipeline.Metrics.Acks.WithLabels("ent", "accepted").Value}, duplicate {pipeline.Metrics.Acks.WithLabels("ent", "duplicate").Value}, refused {pipeline.Metrics.Acks.WithLabels("ent", "refused").Value}); other dead letters: " + string.Join("; ", letters.Records.Where(l => poisons.All(p => p.Sha256 != l.Id)).Select(l => JsonSerializer.Deserialize(l.Value, ContractJson.Default.DeadLetter)!).Select(d => $"{d.Reason} {d.Detail}").Distinct()));
        await Eventually.TrueAsync(() => CommittedToTheEnd(["g-poison"], [Topics.Readings, Topics.Spectra, Topics.EnterpriseAcks("E04")]), Deadline, "offsets committed at the end of every partition");

        var dead = letters.Records.Select(r => JsonSerializer.Deserialize(r.Value, ContractJson.Default.DeadLetter)!).ToList();
        foreach (var p in poisons)
        {
            var letter = Assert.Single(dead, d => d.ValueSha256 == p.Sha256 && d.Topic == p.Topic);
            Assert.True(p.Reason == letter.Reason, $"{p.Name}: {letter.Reason} ({letter.Detail})");
            Assert.Equal(p.Value.Length, letter.ValueLength);
        }

        Assert.Equal(poisons.Count, dead.Count);
        Assert.All(letters.Records, r => Assert.True(r.Value.Length <= 64 * 1024, $"a dead letter of {r.Value.Length} bytes"));
        Assert.Equal(0, pipeline.KafkaMetrics.Restarts.Value);
        Assert.Equal(0, pipeline.Metrics.ProcessingErrors.Value);
        Assert.False(pipeline.Running.Completion.IsCompleted, "the stream is still running");

        var events = warnings.Records.ToList();
        Assert.All(events, r => Assert.True(r.Value.Length <= MaxWarningBytes, $"a warning event of {r.Value.Length} bytes"));
        Assert.All(states.Records, r => Assert.True(r.Value.Length <= MaxWarningBytes, $"a state record of {r.Value.Length} bytes"));
        var last = Events(warnings).Where(e => e.Id == raised.Id).MaxBy(e => e.Seq)!;
        Assert.Equal("control room " + new string('z', 100) + "39", Assert.Single(last.Acks).By);
    }

    private static Raman.Processing.Identifier Library()
    {
        var (references, version) = Raman.Library.Load(RepoPaths.Of("models", "raman", "library"));
        return new Raman.Processing.Identifier(references, version);
    }

    private static List<WarningEvent> Events(TopicRecorder warnings) =>
        warnings.Records.Select(r => JsonSerializer.Deserialize(r.Value, ContractJson.Default.WarningEvent)!).ToList();

    private void Send(string topic, byte[] value) =>
        _producer.Produce(topic, new Message<byte[]?, byte[]> { Key = Encoding.UTF8.GetBytes(SiteId), Value = value });

    private bool CommittedToTheEnd(string[] groups, string[] topics)
    {
        using var probe = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = _broker.BootstrapServers, GroupId = groups[0], EnableAutoCommit = false }).Build();
        var partitions = topics.SelectMany(t => Enumerable.Range(0, EmbeddedBroker.PartitionsPerTopic).Select(p => new TopicPartition(t, p))).ToList();
        var committed = probe.Committed(partitions, TimeSpan.FromSeconds(5)).ToDictionary(c => c.TopicPartition, c => c.Offset.Value);
        return partitions.All(tp =>
        {
            var high = probe.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(5)).High.Value;
            return high == 0 || committed.GetValueOrDefault(tp, -1) == high;
        });
    }

    public void Dispose()
    {
        _producer.Dispose();
        _broker.Dispose();
    }
}

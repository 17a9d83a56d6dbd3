using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Testing;
using RiskStream.IntegrationTests.Support;
using RiskStream.Kafka;
using RiskStream.Simulation;

namespace RiskStream.IntegrationTests;

/// <summary>End-to-end delivery guarantees of the pipeline on the embedded broker (a fresh broker per test).</summary>
public sealed class PipelineDeliveryTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private readonly EmbeddedBroker _broker = EmbeddedBroker.Start();
    private readonly Core.Registry.ParkRegistry _registry = SyntheticPark.Create(200, 10);

    public PipelineDeliveryTests() => _broker.EnsureTopics(Topics.Readings, Topics.Scores, Topics.DeadLetter, Topics.Warnings);

    private TopicRecorder Scores() => new(_broker.BootstrapServers, Topics.Scores, v => JsonDocument.Parse(v).RootElement.GetProperty("id").GetString()!);

    private TopicRecorder DeadLetters() => new(_broker.BootstrapServers, Topics.DeadLetter, v => Convert.ToBase64String(JsonSerializer.Deserialize(v, ContractJson.Default.DeadLetter)!.Value));

    [Fact]
    public async Task Hundred_thousand_readings_with_one_percent_malformed_lose_nothing()
    {
        var sent = Readings.Make(_registry, 100_000, 0.01, seed: 1);
        var valid = sent.Where(r => r.Valid).Select(r => r.Id).ToHashSet();
        var malformed = sent.Where(r => !r.Valid).ToDictionary(r => Convert.ToBase64String(r.Value));
        Assert.InRange(malformed.Count, 700, 1_300);
        using var scores = Scores();
        using var letters = DeadLetters();
        await using var pipeline = new PipelineInstance(_broker.BootstrapServers, _registry, "g-100k", "p100k");
        Readings.Produce(_broker.BootstrapServers, Topics.Readings, sent);

        await Eventually.TrueAsync(() => scores.Records.Count >= valid.Count && letters.Records.Count >= malformed.Count, Deadline, "every output");
        await pipeline.DrainAsync();

        var scored = scores.Records.Select(r => r.Id).ToList();
        Assert.Equal(valid.Count, scored.Distinct().Count());
        Assert.True(valid.SetEquals(scored), "scores are exactly the valid readings");
        var dead = letters.Records.ToList();
        Assert.Equal(malformed.Count, dead.Select(d => d.Id).Distinct().Count());
        foreach (var (id, value) in dead)
        {
            Assert.True(malformed.ContainsKey(id), "a dead letter carries the original bytes of a malformed reading");
            var letter = JsonSerializer.Deserialize(value, ContractJson.Default.DeadLetter)!;
            Assert.False(string.IsNullOrWhiteSpace(letter.Detail));
            Assert.Equal(Topics.Readings, letter.Topic);
        }

        Assert.Equal(
            new[] { DeadLetterReason.FutureTimestamp, DeadLetterReason.MalformedJson, DeadLetterReason.NonFinite, DeadLetterReason.UnknownSite, DeadLetterReason.WrongUnit }.Order(),
            dead.Select(d => JsonSerializer.Deserialize(d.Value, ContractJson.Default.DeadLetter)!.Reason).Distinct().Order());
    }

    [Fact]
    public async Task Graceful_shutdown_commits_every_finished_offset_and_a_restart_reprocesses_none()
    {
        var sent = Readings.Make(_registry, 20_000, 0, seed: 2);
        using var scores = Scores();
        var first = new PipelineInstance(_broker.BootstrapServers, _registry, "g-graceful", "graceful1");
        Readings.Produce(_broker.BootstrapServers, Topics.Readings, sent);
        await Eventually.TrueAsync(() => first.Scored >= sent.Count, Deadline, "all readings scored");
        await first.DrainAsync();
        await first.DisposeAsync();
        Assert.Equal(sent.Count, first.Running.Control.CommittedOffsets.Where(kv => kv.Key.Topic == Topics.Readings).Sum(kv => kv.Value));

        // A sentinel after the restart: once it is scored, the restarted instance has shown everything it would redo.
        await using var second = new PipelineInstance(_broker.BootstrapServers, _registry, "g-graceful", "graceful2");
        var sentinel = Readings.Make(_registry, 1, 0, seed: 3, startIndex: 500_000);
        Readings.Produce(_broker.BootstrapServers, Topics.Readings, sentinel);
        await Eventually.TrueAsync(() => second.Scored >= 1, Deadline, "the sentinel scored");
        await Eventually.TrueAsync(() => scores.Records.Any(r => r.Id == sentinel[0].Id), Deadline, "the sentinel's score delivered");
        await second.DrainAsync();
        Assert.Equal(1, second.Scored);
        Assert.Equal(sent.Count + 1, scores.Records.Select(r => r.Id).Distinct().Count());
        Assert.Equal(sent.Count + 1, scores.Records.Count);
    }

    [Fact]
    public async Task Two_instances_share_the_partitions_and_the_survivor_takes_over_with_nothing_lost()
    {
        using var scores = Scores();
        var a = new PipelineInstance(_broker.BootstrapServers, _registry, "g-pair", "pairA");
        var b = new PipelineInstance(_broker.BootstrapServers, _registry, "g-pair", "pairB");
        var all = new List<Sent>();
        using var feeding = new CancellationTokenSource();
        var feeder = Task.Run(() =>
        {
            for (var round = 0; !feeding.IsCancellationRequested && round < 400; round++)
            {
                var batch = Readings.Make(_registry, 500, 0, seed: round, startIndex: round * 500);
                Readings.Produce(_broker.BootstrapServers, Topics.Readings, batch);
                lock (all)
                {
                    all.AddRange(batch);
                }
            }
        });

        await Eventually.TrueAsync(() => a.Running.Control.Assignment.Count > 0 && b.Running.Control.Assignment.Count > 0, Deadline, "both instances to own partitions");
        Assert.Empty(a.Running.Control.Assignment.Intersect(b.Running.Control.Assignment));
        await Eventually.TrueAsync(() => b.Scored > 0 && a.Scored > 0, Deadline, "both instances to score");
        await b.DrainAsync();
        await b.DisposeAsync();
        await Eventually.TrueAsync(() => a.Running.Control.Assignment.Count == EmbeddedBroker.PartitionsPerTopic, Deadline, "the survivor to own every partition");
        var scoredBeforeTakeover = a.Scored;
        await Eventually.TrueAsync(() => a.Scored > scoredBeforeTakeover + 1_000, Deadline, "the survivor to keep scoring");
        await feeding.CancelAsync();
        await feeder;
        HashSet<string> expected;
        lock (all)
        {
            expected = all.Select(r => r.Id).ToHashSet();
        }

        await Eventually.TrueAsync(() => expected.IsSubsetOf(scores.Records.Select(r => r.Id)), Deadline, "every reading scored by one instance or the other");
        await a.DrainAsync();
        await a.DisposeAsync();
    }

    [Fact]
    public async Task Killed_mid_stream_and_restarted_no_reading_is_lost_and_duplicates_come_only_from_the_uncommitted_range()
    {
        var registryFile = RepoPaths.Of("config", "park.json");
        var park = Core.Registry.ParkRegistry.Load(registryFile);
        var sent = Readings.Make(park, 60_000, 0, seed: 4);
        using var scores = Scores();
        var where = new System.Collections.Concurrent.ConcurrentDictionary<string, TopicPartitionOffset>();

        // Input stays at most 4,000 readings ahead of the scores until the kill, so the kill is always mid-stream;
        // the rest is produced after it.
        using var killed = new CancellationTokenSource();
        var feeder = Task.Run(async () =>
        {
            var produced = 0;
            foreach (var chunk in sent.Chunk(2_000))
            {
                if (!killed.IsCancellationRequested)
                {
                    await Eventually.TrueAsync(() => killed.IsCancellationRequested || scores.Records.Count >= produced - 4_000, Deadline, "the pipeline to catch up with the input");
                }

                foreach (var (id, tpo) in Readings.Produce(_broker.BootstrapServers, Topics.Readings, chunk))
                {
                    where[id] = tpo;
                }

                produced += chunk.Length;
            }
        });

        // A real process, killed with SIGKILL: no drain, no final commit.
        using (var victim = RiskStreamProcess.Run(_broker.BootstrapServers, registryFile))
        {
            await Eventually.TrueAsync(() => scores.Records.Count >= 10_000, Deadline, "part of the input scored before the kill");
            victim.Kill(entireProcessTree: true);
            await victim.WaitForExitAsync();
            await killed.CancelAsync();
        }

        var committedAtKill = Committed("riskstream");
        var beforeRestart = scores.Records.Select(r => r.Id).ToHashSet();
        Assert.True(beforeRestart.Count < sent.Count, "the kill happened mid-stream");
        await feeder;

        using (var survivor = RiskStreamProcess.Run(_broker.BootstrapServers, registryFile))
        {
            await Eventually.TrueAsync(() => scores.Records.Select(r => r.Id).Distinct().Count() >= sent.Count, Deadline, $"every reading scored after the restart (scored before the kill: {beforeRestart.Count}, committed then: {committedAtKill.Values.Sum()}); children's log:\n{string.Join("\n", RiskStreamProcess.Log.TakeLast(30))}");
            survivor.Kill(entireProcessTree: true);
        }

        var ids = scores.Records.Select(r => r.Id).ToList();
        Assert.True(sent.Select(r => r.Id).ToHashSet().SetEquals(ids), "no reading lost");
        var duplicates = ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        foreach (var id in duplicates)
        {
            var tpo = where[id];
            var committed = committedAtKill.GetValueOrDefault(tpo.TopicPartition, 0);
            Assert.True(tpo.Offset.Value >= committed, $"{id} at {tpo} was redone although offset {committed} was committed");
        }
    }

    [Fact]
    public async Task Sigterm_drains_and_commits_everything_finished_even_between_commit_intervals()
    {
        var registryFile = RepoPaths.Of("config", "park.json");
        var park = Core.Registry.ParkRegistry.Load(registryFile);
        var sent = Readings.Make(park, 10_000, 0, seed: 9);
        using var scores = Scores();
        Readings.Produce(_broker.BootstrapServers, Topics.Readings, sent);

        // Background commits every 5 minutes: only the drain on SIGTERM can commit within this test.
        using var process = RiskStreamProcess.Run(_broker.BootstrapServers, registryFile, new Dictionary<string, string> { ["RiskStream__Kafka__CommitInterval"] = "5m" });
        await Eventually.TrueAsync(() => scores.Records.Count >= sent.Count, Deadline, "every reading scored");
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await process.WaitForExitAsync().WaitAsync(Deadline);
        Assert.Equal(0, process.ExitCode);
        Assert.Equal(sent.Count, Committed("riskstream").Values.Sum());
    }

    private Dictionary<TopicPartition, long> Committed(string group)
    {
        using var c = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = _broker.BootstrapServers, GroupId = group }).Build();
        var parts = Enumerable.Range(0, EmbeddedBroker.PartitionsPerTopic).Select(p => new TopicPartition(Topics.Readings, p));
        return c.Committed(parts, TimeSpan.FromSeconds(10)).ToDictionary(t => t.TopicPartition, t => Math.Max(0, t.Offset.Value));
    }

    public void Dispose() => _broker.Dispose();
}

/// <summary>Starts the built <c>riskstream</c> executable as a child process.</summary>
internal static class RiskStreamProcess
{
    /// <summary>stderr of every child started, for failure messages.</summary>
    public static System.Collections.Concurrent.ConcurrentQueue<string> Log { get; } = new();

    public static Process Run(string bootstrap, string registry, IDictionary<string, string>? environment = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "riskstream.dll");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { dll, "run", "--kafka", bootstrap, "--registry", registry, "--metrics-port", "0" })
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["RiskStream__Kafka__CommitInterval"] = "100ms";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start riskstream");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                Log.Enqueue($"[{process.Id}] {line}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}

using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.IntegrationTests.Support;
using RiskStream.Kafka;
using RiskStream.Testing;

namespace RiskStream.IntegrationTests;

/// <summary>
/// Scale-out for real: three <c>riskstream run</c> processes in one consumer group on one <c>riskstream broker</c>;
/// the one that holds a leak's site is killed with SIGKILL mid-scenario; the two others take its partitions and its
/// warning's state.
/// </summary>
public sealed partial class ScaleOutTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private readonly Process _broker = CliProcess.Start(["broker"]);

    [GeneratedRegex(@"^\[(\d+)\] .*\b(Assigned|Revoked|Lost) (.*)$")]
    private static partial Regex RebalanceLine();

    [GeneratedRegex(@"riskstream\.readings\[([0-9,]+)\]")]
    private static partial Regex ReadingsPartitions();

    /// <summary>The readings partitions each child holds now, from the Assigned/Revoked/Lost lines of their logs.</summary>
    private static Dictionary<int, HashSet<int>> Ownership(IEnumerable<int> pids)
    {
        var owned = pids.ToDictionary(p => p, _ => new HashSet<int>());
        foreach (var line in RiskStreamProcess.Log)
        {
            if (RebalanceLine().Match(line) is not { Success: true } m || !owned.TryGetValue(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), out var set))
            {
                continue;
            }

            foreach (var partition in ReadingsPartitions().Matches(m.Groups[3].Value).SelectMany(x => x.Groups[1].Value.Split(',')).Select(int.Parse))
            {
                if (m.Groups[2].Value == "Assigned")
                {
                    set.Add(partition);
                }
                else
                {
                    set.Remove(partition);
                }
            }
        }

        return owned;
    }

    [Fact]
    public async Task Three_processes_share_the_park_and_when_one_is_killed_mid_scenario_the_others_take_over_its_partitions_and_warnings()
    {
        var bootstrap = (await _broker.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)))!;
        var registryFile = RepoPaths.Of("config", "park.json");
        var park = Core.Registry.ParkRegistry.Load(registryFile);
        var site = park.Sites["SH-HGQ-E04-S1"];
        using var scores = new TopicRecorder(bootstrap, Topics.Scores, v => JsonDocument.Parse(v).RootElement.GetProperty("id").GetString()!);
        using var warnings = new TopicRecorder(bootstrap, Topics.Warnings, v => JsonSerializer.Deserialize(v, ContractJson.Default.WarningEvent)!.Id);
        List<WarningEvent> Leak() => warnings.Records.Select(r => JsonSerializer.Deserialize(r.Value, ContractJson.Default.WarningEvent)!)
            .Where(e => e.Scenario == "combustible_gas_leak" && e.Site == site.Id).ToList();

        var processes = Enumerable.Range(0, 3).Select(_ => RiskStreamProcess.Run(bootstrap, registryFile)).ToList();
        try
        {
            var pids = processes.Select(p => p.Id).ToList();
            await Eventually.TrueAsync(() => Ownership(pids).Values.All(s => s.Count > 0) && Ownership(pids).Values.Sum(s => s.Count) == EmbeddedBroker.PartitionsPerTopic, Deadline, () => "every process to hold readings partitions: " + string.Join(", ", Ownership(pids).Select(kv => $"{kv.Key}:[{string.Join(',', kv.Value)}]")));

            var noise = new Random(11);
            var start = DateTimeOffset.UtcNow.AddMinutes(-20);
            var background = Readings.Make(park, 40_000, 0, seed: 12);
            var before = Readings.Leak(site, start, 0, 25, noise);
            var where = Readings.Produce(bootstrap, Topics.Readings, [.. background.Take(20_000), .. before]);
            var sitePartition = where[before[0].Id].Partition.Value;
            await Eventually.TrueAsync(() => Leak().Any(e => e.Status == WarningStatus.Raised), Deadline, "the leak raised");
            await Eventually.TrueAsync(() => before.Select(r => r.Id).ToHashSet().IsSubsetOf(scores.Records.Select(r => r.Id)), Deadline, "the leak's first 26 s scored");

            // SIGKILL the process that holds the leak's site: no drain, no last commit.
            var victim = processes.Single(p => Ownership(pids)[p.Id].Contains(sitePartition));
            victim.Kill(entireProcessTree: true);
            await victim.WaitForExitAsync();
            var survivors = processes.Where(p => p != victim).Select(p => p.Id).ToList();

            var after = Readings.Leak(site, start, 26, 130, noise);
            Readings.Produce(bootstrap, Topics.Readings, [.. background.Skip(20_000), .. after]);
            await Eventually.TrueAsync(() => Ownership(survivors).Values.Sum(s => s.Count) == EmbeddedBroker.PartitionsPerTopic, Deadline, "the survivors to hold every readings partition");
            var sent = background.Concat(before).Concat(after).Select(r => r.Id).ToHashSet();
            await Eventually.TrueAsync(() => sent.IsSubsetOf(scores.Records.Select(r => r.Id)), Deadline, () => $"every reading scored ({scores.Records.Select(r => r.Id).Distinct().Count()} of {sent.Count}); log:\n{string.Join("\n", RiskStreamProcess.Log.TakeLast(20))}");
            await Eventually.TrueAsync(() => Leak().Any(e => e.Status == WarningStatus.Resolved), Deadline, () => "the leak resolved by the new owner; events: " + string.Join("; ", Leak().Select(e => $"{e.Seq} {e.Status}")));

            var events = Leak().DistinctBy(e => (e.Id, e.Seq)).OrderBy(e => e.Seq).ToList();
            Assert.Single(events.Select(e => e.Id).Distinct());
            Assert.Single(events, e => e.Status == WarningStatus.Raised);
            Assert.Single(events, e => e.Status == WarningStatus.Resolved);
            Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
            Assert.Equal(sent, scores.Records.Select(r => r.Id).ToHashSet());
        }
        finally
        {
            foreach (var p in processes.Where(p => !p.HasExited))
            {
                p.Kill(entireProcessTree: true);
            }

            foreach (var p in processes)
            {
                p.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _broker.Kill(entireProcessTree: true);
        _broker.Dispose();
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using RiskStream.Core;
using RiskStream.Core.Registry;
using RiskStream.Kafka;

namespace RiskStream.Cli.Bench;

/// <summary>
/// Aggregate throughput of 1 … N <c>riskstream run</c> processes in one consumer group: for each N, a fresh embedded
/// broker whose topics all have <see cref="Partitions"/> partitions (co-partitioned; 6 divides among 1, 2 and 3), N
/// child processes of this very executable joined to the group, then readings of the registry's park fed as fast as
/// the scores keep up and the scores counted over the timed window.
/// </summary>
internal sealed partial class ScaleOutBench(TimeSpan duration, int maxProcesses, Hosting.RiskStreamOptions options, Action<string> progress)
{
    public const int Partitions = 6;
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromMinutes(2);

    [GeneratedRegex(@"\b(Assigned|Revoked|Lost) .*riskstream\.readings\[([0-9,]+)\]")]
    private static partial Regex ReadingsRebalance();

    public sealed record Round(int Processes, double ReadingsPerSec);

    public async Task<IReadOnlyList<Round>> RunAsync()
    {
        var registry = ParkRegistry.Load(options.RegistryPath);
        var rounds = new List<Round>();
        for (var n = 1; n <= maxProcesses; n++)
        {
            var rate = await RoundAsync(registry, n).ConfigureAwait(false);
            progress(string.Create(CultureInfo.InvariantCulture, $"scale-out: {n} process(es): {rate:F0} readings/s"));
            rounds.Add(new Round(n, Math.Round(rate)));
        }

        return rounds;
    }

    private async Task<double> RoundAsync(ParkRegistry registry, int processes)
    {
        using var broker = EmbeddedBroker.Start();
        foreach (var topic in Topics.All(registry))
        {
            broker.Faults.CreateTopic(topic, Partitions);
        }

        var assigned = new ConcurrentDictionary<int, int>();
        var children = Enumerable.Range(0, processes).Select(i => Start(broker.BootstrapServers, i, assigned)).ToList();
        try
        {
            var joined = Stopwatch.StartNew();
            while (assigned.Values.Sum() != Partitions || assigned.Values.Count(v => v > 0) < processes)
            {
                if (joined.Elapsed > JoinTimeout || children.Any(c => c.HasExited))
                {
                    throw new TimeoutException($"scale-out: {processes} processes did not share the {Partitions} partitions within {JoinTimeout} ({assigned.Values.Sum()} assigned)");
                }

                await Task.Delay(100).ConfigureAwait(false);
            }

            long scored = 0;
            using var stop = new CancellationTokenSource();
            var counter = new Thread(() => CountScores(broker.BootstrapServers, ref scored, stop.Token)) { IsBackground = true, Name = "bench-scores" };
            counter.Start();
            var feeder = BenchFeeder.Start(broker, registry, Topics.Readings, () => Interlocked.Read(ref scored), null, stop.Token);
            var clock = Stopwatch.StartNew();
            while (Interlocked.Read(ref scored) == 0 && clock.Elapsed < JoinTimeout)
            {
                await Task.Delay(10).ConfigureAwait(false);
            }

            await Task.Delay(Warmup).ConfigureAwait(false);
            var start = Interlocked.Read(ref scored);
            clock.Restart();
            await Task.Delay(duration).ConfigureAwait(false);
            var rate = (Interlocked.Read(ref scored) - start) / clock.Elapsed.TotalSeconds;
            stop.Cancel();
            feeder.Join();
            counter.Join();
            return rate;
        }
        finally
        {
            foreach (var child in children)
            {
                Stop(child);
            }
        }
    }

    private static void CountScores(string bootstrap, ref long scored, CancellationToken stop)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "bench-scale-scores",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            FetchWaitMaxMs = 10,
        }).Build();
        consumer.Subscribe(Topics.Scores);
        while (!stop.IsCancellationRequested)
        {
            if (consumer.Consume(100) is not null)
            {
                Interlocked.Increment(ref scored);
            }
        }

        consumer.Close();
    }

    /// <summary>A child <c>riskstream run</c> of this executable, whose assigned readings partitions are read from its log.</summary>
    private Process Start(string bootstrap, int index, ConcurrentDictionary<int, int> assigned) =>
        Hosting.ChildRiskStream.Start(["run", "--kafka", bootstrap, "--metrics-port", "0", "--group", "bench-scale", "--score-publishing", "every", "--registry", options.RegistryPath], line =>
        {
            if (ReadingsRebalance().Match(line) is { Success: true } m)
            {
                var change = m.Groups[2].Value.Split(',').Length * (m.Groups[1].Value == "Assigned" ? 1 : -1);
                assigned.AddOrUpdate(index, change, (_, count) => count + change);
            }
        });

    private static void Stop(Process child)
    {
        if (!child.HasExited)
        {
            child.Kill(entireProcessTree: true);
            child.WaitForExit(TimeSpan.FromSeconds(30));
        }

        child.Dispose();
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using RiskStream.Cli.Bench;
using RiskStream.Cli.Hosting;

namespace RiskStream.Cli.Commands;

/// <summary><c>riskstream bench</c>: end-to-end figures against the raw-consume peer, in one run.</summary>
internal static class BenchCommand
{
    private static readonly string[] Phases = ["all", "throughput", "latency", "memory", "spectra", "streamiz", "scale-out"];

    public static Command Create()
    {
        var json = CommonOptions.Json("print one JSON object with every figure");
        var duration = CommonOptions.Duration("--duration", "length of each timed phase (default 10s)", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        var sensors = CommonOptions.Int("--sensors", "sensors of the synthetic park", 100_000, 10, 2_000_000);
        var rate = CommonOptions.Int("--latency-rate", "readings per second offered in the latency phase", 20_000, 1, 1_000_000);
        var only = new Option<string>("--only") { Description = "run one phase only (scale-out runs only when asked: child processes)", DefaultValueFactory = _ => "all", HelpName = "PHASE" }.AcceptOnlyFromAmong(Phases);
        var processes = CommonOptions.Int("--processes", "scale-out: up to this many riskstream run processes in one group (1, 2, … N)", 3, 1, 16);
        var timeline = new Option<bool>("--timeline") { Description = "latency phase: log scored and delivered readings, GC and thread-pool figures every 100 ms of the measured window" };
        var peer = new Option<string>("--streamiz-peer") { Description = "the Streamiz.Kafka.Net peer's assembly (default: the build of bench/RiskStream.StreamizPeer in this repository)", HelpName = "PATH" };
        var peerThreads = CommonOptions.Int("--streamiz-threads", "stream threads of the Streamiz peer (default: one per core, its fastest here)", Math.Min(Environment.ProcessorCount, 16), 1, 16);
        var command = new Command("bench", "End-to-end throughput, latency and memory on the embedded broker against the raw-consume peer and a Streamiz.Kafka.Net peer (same broker, same feeder), and Raman identification throughput; --only scale-out: aggregate throughput of 1 … N riskstream run processes in one group.") { json, duration, sensors, rate, only, processes, timeline, peer, peerThreads };
        command.SetAction((parse, _) => parse.GetValue(only) == "scale-out"
            ? ScaleOutAsync(parse, parse.GetValue(json), parse.GetValue(duration) ?? TimeSpan.FromSeconds(10), parse.GetValue(processes))
            : RunAsync(parse, parse.GetValue(json), parse.GetValue(duration) ?? TimeSpan.FromSeconds(10), parse.GetValue(sensors), parse.GetValue(rate), parse.GetValue(only)!, parse.GetValue(timeline), parse.GetValue(peer), parse.GetValue(peerThreads)));
        return command;
    }

    private static async Task<int> ScaleOutAsync(ParseResult parse, bool json, TimeSpan duration, int processes)
    {
        using var host = ProcessHost.For(parse);
        var rounds = await new ScaleOutBench(duration, processes, host.Options, m => host.Log.LogInformation("bench: {Message}", m)).RunAsync().ConfigureAwait(false);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new ScaleOutResult(rounds, ScaleOutBench.Partitions, Environment.ProcessorCount, duration.TotalSeconds), BenchJson.Default.ScaleOutResult));
            return 0;
        }

        var one = rounds[0].ReadingsPerSec;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"riskstream run processes in one group, {ScaleOutBench.Partitions} partitions, {Environment.ProcessorCount} cores:"));
        foreach (var round in rounds)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {round.Processes} process(es) {round.ReadingsPerSec,12:N0} readings/s   ×{round.ReadingsPerSec / one:F2} of one"));
        }

        return 0;
    }

    private static async Task<int> RunAsync(ParseResult parse, bool json, TimeSpan duration, int sensors, int rate, string only, bool timeline, string? peer, int peerThreads)
    {
        var peerPath = StreamizPeer.Locate(peer);
        if (peer is { Length: > 0 } && peerPath is null)
        {
            await Console.Error.WriteLineAsync($"bench: --streamiz-peer {peer}: no such file").ConfigureAwait(false);
            return 2;
        }

        using var host = ProcessHost.For(parse);
        var options = host.Options;
        var bench = new EndToEndBench(duration, sensors, rate, options, only, m => host.Log.LogInformation("bench: {Message}", m)) { Timeline = timeline, StreamizPeerPath = peerPath, StreamizThreads = peerThreads };
        var result = await bench.RunAsync().ConfigureAwait(false);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(result, BenchJson.Default.BenchResult));
        }
        else
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
                pipeline throughput  {result.ReadingsPerSec,12:N0} readings/s   (target ≥ 200,000)
                raw consume (peer)   {result.RawConsumePerSec,12:N0} messages/s
                ratio                {result.Ratio,12:F3}             (target ≥ 0.30)
                Streamiz peer        {result.StreamizPerSec,12:N0} readings/s   ({result.StreamizThreads} stream thread(s), {result.StreamizPerCpuSec:N0} per CPU-second): pipeline ×{result.VsStreamiz:F2}, ×{result.VsStreamizPerCpuSec:F2} per CPU-second (target ≥ 1.6)
                by exception         {result.ReadingsPerSecByException,12:N0} readings/s   ratio {result.RatioByException:F3}, {result.ReadingsPerCpuSecByException:N0} per CPU-second; {result.ScoresPublishedShareByException:P1} of the scores published (every reading scored)
                per CPU-second       {result.ReadingsPerCpuSec,12:N0} readings, peer {result.RawConsumePerCpuSec:N0} messages: ratio {result.CpuRatio:F3} (own threads only: no feeder, no broker)
                GC gen-0 budget      {result.Gen0BudgetBytes / 1048576.0,12:N0} MB             (DOTNET_GCgen0size; the riskstream script and the image set 64 MB)
                latency p50 / p99    {result.LatencyP50Ms,6:F1} / {result.LatencyP99Ms,4:F1} ms at {result.LatencyRatePerSec:N0}/s offered, {result.LatencyAchievedPerSec:N0}/s achieved (target p99 ≤ 15); p99.9 {result.LatencyP999Ms:F1} ms, GC paused {result.LatencyGcPauseMs:F0} ms
                memory               {result.ManagedBytesPerSensor,12:N0} B per active sensor, {result.Sensors:N0} sensors (target ≤ 1,024); registry {result.RegistryBytesPerSensor:N0} B/sensor
                Raman identification {result.SpectraPerSec,12:N0} spectra/s of 2,000 points against {result.LibrarySubstances} references (target ≥ 2,000); {result.SpectraPerSec1000:N0}/s against 1,000 (target ≥ 500)
                """));
        }

        return 0;
    }
}

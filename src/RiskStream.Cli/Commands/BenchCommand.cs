using RiskStream.Core;
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
    public static async Task<int> RunAsync(ProcessHost host)
    {
        var cli = host.Cli;
        var duration = TimeSpan.FromSeconds(10);
        if (cli.Value("--duration") is { } d && !(Durations.TryParse(d, out duration) && duration >= TimeSpan.FromSeconds(1) && duration <= TimeSpan.FromMinutes(10)))
        {
            throw new OptionsException($"--duration '{d}': expected 1s to 10m");
        }

        var sensors = ParseInt(cli.Value("--sensors"), 100_000, 10, 2_000_000, "--sensors");
        var rate = ParseInt(cli.Value("--latency-rate"), 20_000, 1, 1_000_000, "--latency-rate");
        var options = RiskStreamOptions.Read(host.Settings);
        var only = cli.Value("--only") ?? "all";
        if (only is not ("all" or "throughput" or "latency" or "memory" or "spectra"))
        {
            throw new OptionsException($"--only '{only}': expected throughput, latency, memory or spectra");
        }

        var bench = new EndToEndBench(duration, sensors, rate, options, only, m => host.Log.LogInformation("bench: {Message}", m));
        var result = await bench.RunAsync().ConfigureAwait(false);
        if (cli.Has("--json"))
        {
            Console.WriteLine(JsonSerializer.Serialize(result, BenchJson.Default.BenchResult));
        }
        else
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
                pipeline throughput  {result.ReadingsPerSec,12:N0} readings/s   (target ≥ 200,000)
                raw consume (peer)   {result.RawConsumePerSec,12:N0} messages/s
                ratio                {result.Ratio,12:F3}             (target ≥ 0.30)
                latency p50 / p99    {result.LatencyP50Ms,6:F1} / {result.LatencyP99Ms,4:F1} ms at {result.LatencyRatePerSec:N0}/s offered, {result.LatencyAchievedPerSec:N0}/s achieved (target p99 ≤ 20)
                memory               {result.ManagedBytesPerSensor,12:N0} B per active sensor, {result.Sensors:N0} sensors (target ≤ 1,024); registry {result.RegistryBytesPerSensor:N0} B/sensor
                Raman identification {result.SpectraPerSec,12:N0} spectra/s of 2,000 points against {result.LibrarySubstances} references (target ≥ 2,000); {result.SpectraPerSec1000:N0}/s against 1,000 (target ≥ 500)
                """));
        }

        return 0;
    }

    private static int ParseInt(string? text, int @default, int min, int max, string flag)
    {
        if (text is null)
        {
            return @default;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new OptionsException($"{flag} '{text}': expected {min} to {max}");
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(BenchResult))]
internal sealed partial class BenchJson : JsonSerializerContext;

using System.CommandLine;
using Microsoft.Extensions.Logging;
using RiskStream.Cli.Hosting;
using RiskStream.Kpis;

namespace RiskStream.Cli.Commands;

/// <summary><c>riskstream kpis --kafka B</c>: the alarm KPIs from the warning events to <c>riskstream.kpis</c> (one instance per cluster).</summary>
internal static class KpisCommand
{
    public static Command Create()
    {
        var command = new Command("kpis", "Alarm-system KPIs (EEMUA 191, ISA-18.2) per site, enterprise, jurisdiction and park over 10-minute, hourly and daily windows, from riskstream.warnings to riskstream.kpis, and data quality (access, online and intact rates, HJ 212-2017 flags) from the scores and dead letters to riskstream.dataquality. One instance per cluster; the embedded run starts it itself.") { CommonOptions.For() };
        foreach (var flag in ConfigFlag.For("--kafka", "--registry", "--silences", "--metrics-port"))
        {
            command.Options.Add(flag);
        }

        command.SetAction((parse, _) => RunAsync(parse));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse)
    {
        using var host = ProcessHost.For(parse);
        var options = host.Options;
        if (options.BootstrapServers.Length == 0)
        {
            throw new Core.Options.OptionsException("riskstream kpis needs --kafka");
        }

        var registry = Core.Registry.ParkRegistry.Load(options.RegistryPath);
        var job = new KpiJob(options.BootstrapServers, options.KafkaProperties, registry, host.LoggerFactory.CreateLogger("riskstream.kpis"), outOfService: OutOfService(Scenarios.Definitions.SilenceLoader.Load(options.SilencesPath, registry)));
        host.Log.LogInformation("KPIs from {Warnings} to {Kpis}", Core.Topics.Warnings, Core.Topics.Kpis);
        var health = new Health()
            .Live("kpis", () => job.Stalled(TimeSpan.FromMinutes(1)))
            .Ready("replayed", () => job.CaughtUp ? null : "still reading the topics back to where they stood at the start (no window is closed before that)");
        using var server = options.MetricsPort > 0 ? new MetricsServer(options.MetricsPort, Prometheus.Metrics.DefaultRegistry, health, host.Log) : null;
        await job.RunAsync(host.Stopping).ConfigureAwait(false);
        return 0;
    }

    /// <summary>The reason a sensor was declared out of service at a time (silences.yaml), or null.</summary>
    public static Func<string, string, DateTimeOffset, string?> OutOfService(IReadOnlyList<Scenarios.Engine.Silence> silences) =>
        (site, sensor, t) => silences.FirstOrDefault(s => s.Covers(site, sensor, t.ToUnixTimeMilliseconds()))?.Reason;
}

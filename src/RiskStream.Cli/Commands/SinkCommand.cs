using System.CommandLine;
using Microsoft.Extensions.Logging;
using Prometheus;
using RiskStream.Cli.Hosting;
using RiskStream.Influx;
using RiskStream.Kafka;

namespace RiskStream.Cli.Commands;

/// <summary><c>riskstream sink influx --kafka B --influx-url URL ...</c>: the InfluxDB sink alone.</summary>
internal static class SinkCommand
{
    public static Command Create()
    {
        var influx = new Command("influx", "The InfluxDB sink alone, in its own consumer group: readings, scores, warnings and identifications into InfluxDB.") { CommonOptions.For() };
        foreach (var flag in ConfigFlag.For("--kafka", "--registry", "--metrics-port", "--influx-url", "--influx-api", "--influx-db", "--influx-bucket", "--influx-org", "--influx-ca"))
        {
            influx.Options.Add(flag);
        }

        influx.SetAction((parse, _) => RunAsync(parse));
        return new Command("sink", "Sinks that store the topics elsewhere.") { influx };
    }

    private static async Task<int> RunAsync(ParseResult parse)
    {
        using var host = ProcessHost.For(parse);
        var options = host.Options;
        var influx = options.Influx;
        if (options.BootstrapServers.Length == 0 || influx.Url.Length == 0)
        {
            throw new Core.Options.OptionsException("riskstream sink influx needs --kafka and --influx-url");
        }

        var sink = new InfluxSinkRunner(host, Core.Registry.ParkRegistry.Load(options.RegistryPath), options, options.BootstrapServers);
        using var server = options.MetricsPort > 0 ? new MetricsServer(options.MetricsPort, Metrics.DefaultRegistry, sink.Checks(options), host.Log) : null;
        await sink.RunAsync(host.Stopping).ConfigureAwait(false);
        return 0;
    }
}

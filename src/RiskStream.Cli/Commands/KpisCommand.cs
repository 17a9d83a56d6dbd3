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
        var command = new Command("kpis", "Alarm-system KPIs (EEMUA 191, ISA-18.2) per site, enterprise, jurisdiction and park over 10-minute, hourly and daily windows, from riskstream.warnings to riskstream.kpis. One instance per cluster; the embedded run starts it itself.") { CommonOptions.For() };
        foreach (var flag in ConfigFlag.For("--kafka", "--registry"))
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

        var job = new KpiJob(options.BootstrapServers, options.KafkaProperties, Core.Registry.ParkRegistry.Load(options.RegistryPath), host.LoggerFactory.CreateLogger("riskstream.kpis"));
        host.Log.LogInformation("KPIs from {Warnings} to {Kpis}", Core.Topics.Warnings, Core.Topics.Kpis);
        await job.RunAsync(host.Stopping).ConfigureAwait(false);
        return 0;
    }
}

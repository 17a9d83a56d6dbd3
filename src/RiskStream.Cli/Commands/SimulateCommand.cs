using System.CommandLine;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using RiskStream.Cli.Hosting;
using RiskStream.Core.Registry;
using RiskStream.Simulation;

namespace RiskStream.Cli.Commands;

/// <summary><c>riskstream simulate</c>: publishes the simulated park to a Kafka cluster until stopped.</summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var command = new Command("simulate", "Publish the simulated park (readings and Raman inspections) to a Kafka cluster until stopped; deterministic for a seed.") { CommonOptions.For() };
        foreach (var flag in ConfigFlag.For("--kafka", "--registry", "--library", "--rate", "--sites", "--seed"))
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
            throw new Core.Options.OptionsException("simulate needs --kafka BOOTSTRAP (start one with 'riskstream broker')");
        }

        var registry = ParkRegistry.Load(options.RegistryPath);
        var simulator = new ParkSimulator(registry, options.Simulation, TimeProvider.System.GetUtcNow());
        using var producer = new ProducerBuilder<byte[]?, byte[]>(options.Producer(options.BootstrapServers).ToConfig()).Build();
        var library = options.Simulation.InspectionEvery > TimeSpan.Zero ? LibraryCommand.Open(options).References.ToList() : null;
        var publisher = new SimulatorPublisher(simulator, producer, TimeProvider.System, host.LoggerFactory.CreateLogger("riskstream.simulator"))
        {
            Inspections = library is null ? null : new InspectionSimulator(registry, library, options.Simulation.Seed),
            InspectionEvery = options.Simulation.InspectionEvery,
        };
        await publisher.RunAsync(host.Stopping).ConfigureAwait(false);
        host.Log.LogInformation("Published {Published} readings and spectra ({Failed} failed); injected events:", publisher.Published, publisher.Failed);
        foreach (var e in simulator.Events.Where(e => e.Start <= TimeProvider.System.GetUtcNow()))
        {
            host.Log.LogInformation("  {Start:HH:mm:ss} {Kind} at {Site} on {Sensors} until {End:HH:mm:ss}", e.Start, e.Kind, e.Site.Id, string.Join(",", e.Sensors.Select(s => s.Id)), e.End);
        }

        return publisher.Failed == 0 ? 0 : 1;
    }
}

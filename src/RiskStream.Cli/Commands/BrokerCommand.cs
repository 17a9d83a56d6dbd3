using System.CommandLine;
using Microsoft.Extensions.Logging;
using RiskStream.Cli.Hosting;
using RiskStream.Core;
using RiskStream.Core.Registry;
using RiskStream.Kafka;

namespace RiskStream.Cli.Commands;

/// <summary>
/// <c>riskstream broker</c>: the embedded mock cluster for other processes (the pipeline, kcat). Its bootstrap address
/// is the first line on stdout; it runs until interrupted or until stdin closes. It comes with every topic RiskStream
/// uses for the registry (<c>--registry</c>).
/// </summary>
internal static class BrokerCommand
{
    public static Command Create()
    {
        var command = new Command("broker", "Run the embedded (mock) Kafka broker for other processes and kcat; prints its bootstrap address first, runs until interrupted or stdin closes.");
        foreach (var flag in ConfigFlag.For("--brokers", "--registry"))
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
        var brokers = options.EmbeddedBrokers;
        var registry = ParkRegistry.Load(options.RegistryPath);
        using var broker = EmbeddedBroker.Start(brokers);

        // Every topic of the registry's parties exists before the address is printed (the mock cluster cannot
        // create topics on request, and consumers of a missing topic wait for a metadata refresh).
        broker.EnsureTopics([.. Topics.All(registry)]);
        await Console.Out.WriteLineAsync(broker.BootstrapServers).ConfigureAwait(false);
        await Console.Out.FlushAsync().ConfigureAwait(false);
        host.Log.LogWarning("Embedded broker (librdkafka mock cluster, {Brokers} broker(s), in memory, ~5 MB kept per partition) at {Bootstrap}: for development and tests only", brokers, broker.BootstrapServers);
        var stdinClosed = Task.Run(async () =>
        {
            using var stdin = Console.OpenStandardInput();
            var buffer = new byte[256];
            while (await stdin.ReadAsync(buffer).ConfigureAwait(false) > 0)
            {
            }
        });
        await Task.WhenAny(stdinClosed, Task.Delay(Timeout.Infinite, host.Stopping).ContinueWith(_ => { }, TaskScheduler.Default)).ConfigureAwait(false);
        host.Log.LogInformation("Broker stopping ({Why})", stdinClosed.IsCompleted ? "stdin closed" : "signal");
        return 0;
    }
}

using Microsoft.Extensions.Logging;
using RiskStream.Cli.Hosting;
using RiskStream.Core;
using RiskStream.Kafka;

namespace RiskStream.Cli.Commands;

/// <summary>
/// <c>riskstream broker</c>: the embedded mock cluster for other processes (the pipeline, kcat). Its bootstrap address
/// is the first line on stdout; it runs until interrupted or until stdin closes.
/// </summary>
internal static class BrokerCommand
{
    public static async Task<int> RunAsync(ProcessHost host)
    {
        var brokers = host.Settings.GetInt("RiskStream:Kafka:EmbeddedBrokers", 1, 1, 9);
        using var broker = EmbeddedBroker.Start(brokers);
        broker.EnsureTopics(Topics.Readings, Topics.Scores, Topics.Warnings, Topics.DeadLetter);
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

using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using RiskStream.Kafka;

namespace RiskStream.Cli.Soak;

/// <summary>The soak's faults: injected one after another, each lifted before the next.</summary>
internal sealed partial class SoakRun
{
    /// <summary>
    /// A fault every <c>faultEvery</c> to 2.5 times that, each lifted before the next; the kinds in a fresh random order
    /// every round, so that every kind comes up.
    /// </summary>
    private async Task InjectAsync(EmbeddedBroker broker, int port, Random random, CancellationToken stop)
    {
        string[] kinds = [.. (_influx is null ? Kinds.Where(k => k != "influx_restart") : Kinds).Where(k => faultKinds is null || faultKinds.Contains(k))];
        if (kinds.Length == 0)
        {
            return;
        }

        try
        {
            var order = new Queue<string>();
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(faultEvery * (1 + (1.5 * random.NextDouble())), stop).ConfigureAwait(false);
                if (order.Count == 0)
                {
                    foreach (var k in kinds.OrderBy(_ => random.Next()))
                    {
                        order.Enqueue(k);
                    }
                }

                var kind = order.Dequeue();
                _ledger.Faults.AddOrUpdate(kind, 1, (_, n) => n + 1);
                log.LogInformation("Soak: injecting {Fault}", kind);
                switch (kind)
                {
                    case "broker_down":
                        broker.Faults.AllBrokers(up: false);
                        await Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
                        broker.Faults.AllBrokers(up: true);
                        break;
                    case "slow_broker":
                        broker.Faults.SetRtt(1, TimeSpan.FromSeconds(2));
                        await Task.Delay(TimeSpan.FromSeconds(15), CancellationToken.None).ConfigureAwait(false);
                        broker.Faults.SetRtt(1, TimeSpan.Zero);
                        break;
                    case "produce_errors":
                        broker.Faults.PushRequestErrors(ApiKey.Produce, [.. Enumerable.Repeat(ErrorCode.RequestTimedOut, 10), .. Enumerable.Repeat(ErrorCode.NotEnoughReplicas, 10)]);
                        break;
                    case "commit_errors":
                        broker.Faults.PushRequestErrors(ApiKey.OffsetCommit, [.. Enumerable.Repeat(ErrorCode.RequestTimedOut, 5)]);
                        break;
                    case "influx_restart":
                        _influx!.Stop();
                        await Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
                        await _influx.StartAsync().ConfigureAwait(false);
                        break;
                    default:
                        Process? old;
                        lock (_childGate)
                        {
                            old = _child;
                        }

                        if (old is not null)
                        {
                            if (kind == "sigterm")
                            {
                                Hosting.ChildRiskStream.Terminate(old, TimeSpan.FromSeconds(45));
                            }
                            else
                            {
                                old.Kill(entireProcessTree: true);
                                old.WaitForExit(TimeSpan.FromSeconds(30));
                            }

                            old.Dispose();
                        }

                        Interlocked.Increment(ref _ledger.Restarts);
                        StartPipeline(broker.BootstrapServers, port);
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The soak's time is up.
        }
    }
}

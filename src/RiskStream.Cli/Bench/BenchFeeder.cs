using System.Diagnostics;
using Confluent.Kafka;
using RiskStream.Core.Registry;
using RiskStream.Kafka;

namespace RiskStream.Cli.Bench;

/// <summary>A running feeder of the bench: its thread, and the kernel ids of its threads and its producer's.</summary>
internal sealed record BenchFeeder(Thread Thread, IReadOnlyCollection<int> Threads)
{
    /// <summary>Most readings the feeder runs ahead of the consumer measured (the embedded broker keeps only ~5 MB per partition).</summary>
    public const int MaxAhead = 50_000;

    public void Join() => Thread.Join();

    /// <summary>
    /// Feeds readings as fast as allowed (or at <paramref name="rate"/>), never more than MaxAhead ahead. Its producer
    /// asks for no delivery reports (nothing reads them), and its threads are returned so that a phase's CPU excludes them.
    /// </summary>
    public static BenchFeeder Start(EmbeddedBroker broker, ParkRegistry registry, string topic, Func<long> consumed, double? rate, CancellationToken stop)
    {
        var config = new ProducerSettings { BootstrapServers = broker.BootstrapServers, LingerMs = rate is null ? 5 : 1 }.ToConfig();
        config.EnableDeliveryReports = false;
        var (producer, clientThreads) = ThreadCpu.ClientThreads(() =>
        {
            var built = new ProducerBuilder<byte[]?, byte[]>(config).Build();
            // A metadata answer through the producer's handle: by then librdkafka has started its thread for the
            // broker (created as metadata names it), so it is counted as the feeder's and not as the phase's.
            using var admin = new DependentAdminClientBuilder(built.Handle).Build();
            admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
            return built;
        });
        var feedThread = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            feedThread.SetResult(ThreadCpu.Current());
            using var owned = producer;
            var feed = new ReadingFeed(registry);
            long produced = 0;
            var clock = Stopwatch.StartNew();
            while (!stop.IsCancellationRequested)
            {
                var allowed = consumed() + MaxAhead - produced;
                if (rate is { } r)
                {
                    allowed = Math.Min(allowed, (long)(clock.Elapsed.TotalSeconds * r) - produced);
                }

                if (allowed <= 0)
                {
                    Thread.Sleep(1);
                    continue;
                }

                var now = TimeProvider.System.GetUtcNow().UtcDateTime;
                for (var i = 0; i < Math.Min(allowed, 1000); i++)
                {
                    var (key, value) = feed.Next(now);
                    try
                    {
                        producer.Produce(topic, new Message<byte[]?, byte[]> { Key = key, Value = value });
                        produced++;
                    }
                    catch (ProduceException<byte[]?, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        producer.Poll(TimeSpan.FromMilliseconds(1));
                    }
                }
            }

            producer.Flush(TimeSpan.FromSeconds(10));
        })
        { IsBackground = true, Name = "bench-feeder" };
        thread.Start();
        clientThreads.Add(feedThread.Task.GetAwaiter().GetResult());
        return new BenchFeeder(thread, clientThreads);
    }
}

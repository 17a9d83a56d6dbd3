using Confluent.Kafka;
using RiskStream.Kafka;

namespace RiskStream.Testing;

/// <summary>One embedded broker for the test assembly; each test uses topics of its own.</summary>
public sealed class BrokerFixture : IDisposable
{
    public EmbeddedBroker Broker { get; } = EmbeddedBroker.Start();

    public string Bootstrap => Broker.BootstrapServers;

    public string NewTopic(string prefix)
    {
        var topic = $"{prefix}.{Guid.NewGuid():N}";
        Broker.EnsureTopics(topic);
        return topic;
    }

    public IProducer<byte[]?, byte[]> Producer() =>
        new ProducerBuilder<byte[]?, byte[]>(new ProducerSettings { BootstrapServers = Bootstrap, LingerMs = 1 }.ToConfig()).Build();

    public ConsumerSettings Consumer(string group) => new()
    {
        BootstrapServers = Bootstrap,
        GroupId = group,
        CommitInterval = TimeSpan.FromMilliseconds(100),
    };

    /// <summary>Produces <paramref name="count"/> messages keyed k0..k15 and waits for all to be acknowledged.</summary>
    public void Produce(string topic, int count, int valueBytes = 16)
    {
        using var p = Producer();
        // Random bytes per message: the producer compresses, and repeated bytes would take no room against retention.
        var random = new Random(count);
        for (var i = 0; i < count; i++)
        {
            var value = new byte[valueBytes];
            random.NextBytes(value);
            p.Produce(topic, new Message<byte[]?, byte[]> { Key = System.Text.Encoding.UTF8.GetBytes("k" + (i % 16)), Value = value });
            if (i % 10_000 == 0)
            {
                p.Poll(TimeSpan.Zero);
            }
        }

        p.Flush(TimeSpan.FromSeconds(30));
    }

    public long HighWatermarkSum(string topic)
    {
        using var c = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = Bootstrap, GroupId = "watermarks" }).Build();
        return Enumerable.Range(0, EmbeddedBroker.PartitionsPerTopic)
            .Sum(p => c.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(5)).High.Value);
    }

    public void Dispose() => Broker.Dispose();
}

/// <summary>Waits for a condition with a deadline, never a bare sleep.</summary>
public static class Eventually
{
    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what) => TrueAsync(condition, timeout, () => what);

    /// <summary>As above, with the failure message built only on failure (e.g. from a log gathered meanwhile).</summary>
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > timeout)
            {
                Assert.Fail($"timed out after {timeout} waiting for {what()}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>As above, for a condition that must itself wait (an HTTP request).</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!await condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > timeout)
            {
                Assert.Fail($"timed out after {timeout} waiting for {what}");
            }

            await Task.Delay(100);
        }
    }
}

/// <summary>
/// Free TCP ports below the kernel's ephemeral range, so that no embedded broker or outgoing connection of a child
/// process can be handed the port between this check and the child binding it.
/// </summary>
public static class FreePorts
{
    public static int BelowEphemeralRange()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Any, port);
                listener.Start();
                return port;
            }
            catch (System.Net.Sockets.SocketException)
            {
            }
        }

        throw new InvalidOperationException("no free port between 20000 and 32000");
    }
}

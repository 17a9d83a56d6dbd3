using Confluent.Kafka;

namespace RiskStream.Kafka;

/// <summary>
/// librdkafka's in-process mock Kafka cluster, for development and tests: the real Kafka protocol on loopback ports,
/// in memory. Not a production broker: topics auto-create with 4 partitions (CreateTopics does not work), each
/// partition keeps only about its newest 5 MB, and nothing survives the process.
/// </summary>
/// <remarks>Thread-safe. Disposing it stops the brokers; clients still connected then see transport errors.</remarks>
public sealed class EmbeddedBroker : IDisposable
{
    /// <summary>Partitions a topic gets when it auto-creates on the mock cluster.</summary>
    public const int PartitionsPerTopic = 4;

    private readonly IProducer<Null, Null> _owner;
    private readonly IAdminClient _admin;
    private MockClusterFaults? _faults;

    private EmbeddedBroker(IProducer<Null, Null> owner, IAdminClient admin, string bootstrap, int brokers)
    {
        _owner = owner;
        _admin = admin;
        BootstrapServers = bootstrap;
        Brokers = brokers;
    }

    /// <summary>The bootstrap address (<c>127.0.0.1:port[,...]</c>) other clients, kcat among them, connect to.</summary>
    public string BootstrapServers { get; }

    public int Brokers { get; }

    /// <summary>The mock cluster's fault API: brokers down, delays, request errors, coordinators moved.</summary>
    public MockClusterFaults Faults => _faults ??= MockClusterFaults.Of(_owner.Handle, Brokers);

    public static EmbeddedBroker Start(int brokers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(brokers, 9);
        var config = new ProducerConfig(new Dictionary<string, string>
        {
            ["test.mock.num.brokers"] = brokers.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["log_level"] = "3",
        });
        var owner = new ProducerBuilder<Null, Null>(config).SetLogHandler((_, _) => { }).Build();
        var admin = new DependentAdminClientBuilder(owner.Handle).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        var bootstrap = string.Join(",", metadata.Brokers.OrderBy(b => b.BrokerId).Select(b => $"{b.Host}:{b.Port}"));
        return new EmbeddedBroker(owner, admin, bootstrap, brokers);
    }

    /// <summary>Makes the topics exist (auto-creation by a metadata request: the mock has no CreateTopics).</summary>
    public void EnsureTopics(params IEnumerable<string> topics)
    {
        foreach (var topic in topics)
        {
            for (var attempt = 0; ; attempt++)
            {
                var md = _admin.GetMetadata(topic, TimeSpan.FromSeconds(5));
                var t = md.Topics.FirstOrDefault(x => x.Topic == topic);
                if (t is { Error.IsError: false } && t.Partitions.Count > 0)
                {
                    break;
                }

                if (attempt >= 50)
                {
                    throw new KafkaException(new Error(ErrorCode.UnknownTopicOrPart, $"topic {topic} did not auto-create"));
                }

                Thread.Sleep(20);
            }
        }
    }

    public void Dispose()
    {
        _admin.Dispose();
        _owner.Dispose();
    }
}

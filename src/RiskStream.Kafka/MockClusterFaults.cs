using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace RiskStream.Kafka;

/// <summary>
/// Faults injected into the embedded broker through librdkafka's mock-cluster API (exported by the librdkafka that
/// Confluent.Kafka ships): brokers down and up, round-trip delay, request errors, the group coordinator moved. For
/// tests, <c>riskstream soak --faults</c> and benchmarks on the embedded broker only; a real cluster has no such API.
/// </summary>
/// <remarks>Thread-safe: librdkafka serialises the calls on the mock cluster's own thread.</remarks>
public sealed partial class MockClusterFaults
{
    private const string Library = "librdkafka";
    private readonly IntPtr _cluster;

    static MockClusterFaults() => NativeLibrary.SetDllImportResolver(typeof(MockClusterFaults).Assembly, Resolve);

    private MockClusterFaults(IntPtr cluster, int brokers)
    {
        _cluster = cluster;
        Brokers = brokers;
    }

    /// <summary>Broker ids of the mock cluster: 1 to <see cref="Brokers"/>.</summary>
    public int Brokers { get; }

    /// <summary>The fault API of the mock cluster that the client behind <paramref name="owner"/> created.</summary>
    internal static MockClusterFaults Of(Handle owner, int brokers)
    {
        var cluster = rd_kafka_handle_mock_cluster(RdKafka(owner));
        return cluster == IntPtr.Zero
            ? throw new InvalidOperationException("the client does not own a mock cluster")
            : new MockClusterFaults(cluster, brokers);
    }

    /// <summary>
    /// Raises a fatal error in <paramref name="client"/> as librdkafka would (its test hook): an idempotent producer
    /// that lost its sequence with the broker, say. The client is unusable from then on: what it holds fails with
    /// <see cref="ErrorCode.Local_Fatal"/>, and only a new client goes on.
    /// </summary>
    public static void RaiseFatalError(IClient client, ErrorCode code, string reason) =>
        Check(rd_kafka_test_fatal_error(RdKafka(client.Handle), (int)code, reason), "fatal error");

    /// <summary>The rd_kafka_t of a client: Confluent.Kafka keeps it internal, and the mock and test APIs need it.</summary>
    private static IntPtr RdKafka(Handle owner)
    {
        var property = typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("this Confluent.Kafka has no Handle.LibrdkafkaHandle: the mock cluster's fault API is out of reach");
        return ((SafeHandle)property.GetValue(owner)!).DangerousGetHandle();
    }

    /// <summary>Takes a broker down: its connections close and new ones are refused until <see cref="BrokerUp"/>.</summary>
    public void BrokerDown(int brokerId) => Check(rd_kafka_mock_broker_set_down(_cluster, Broker(brokerId)), "broker down");

    public void BrokerUp(int brokerId) => Check(rd_kafka_mock_broker_set_up(_cluster, Broker(brokerId)), "broker up");

    /// <summary>Every broker down (the whole cluster unreachable) or up again.</summary>
    public void AllBrokers(bool up)
    {
        for (var id = 1; id <= Brokers; id++)
        {
            if (up)
            {
                BrokerUp(id);
            }
            else
            {
                BrokerDown(id);
            }
        }
    }

    /// <summary>Delays every response of a broker by <paramref name="rtt"/> (zero: no delay).</summary>
    public void SetRtt(int brokerId, TimeSpan rtt) =>
        Check(rd_kafka_mock_broker_set_rtt(_cluster, Broker(brokerId), checked((int)rtt.TotalMilliseconds)), "broker rtt");

    /// <summary>The next requests of <paramref name="api"/> (to any broker) fail with these errors, one each, in order.</summary>
    public void PushRequestErrors(ApiKey api, params ErrorCode[] errors) =>
        rd_kafka_mock_push_request_errors_array(_cluster, (short)api, (nuint)errors.Length, errors.Select(e => (int)e).ToArray());

    /// <summary>Forgets the request errors pushed for <paramref name="api"/> that have not been used yet.</summary>
    public void ClearRequestErrors(ApiKey api) => rd_kafka_mock_clear_request_errors(_cluster, (short)api);

    /// <summary>Moves the coordinator of consumer group <paramref name="group"/> to <paramref name="brokerId"/>.</summary>
    public void SetGroupCoordinator(string group, int brokerId) =>
        Check(rd_kafka_mock_coordinator_set(_cluster, "group", group, Broker(brokerId)), "coordinator");

    /// <summary>Moves the leader of a partition to <paramref name="brokerId"/>.</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId) =>
        Check(rd_kafka_mock_partition_set_leader(_cluster, topic, partition, Broker(brokerId)), "partition leader");

    /// <summary>Creates a topic with its partition count (the mock cluster has no CreateTopics request).</summary>
    public void CreateTopic(string topic, int partitions, int replicationFactor = 1) =>
        Check(rd_kafka_mock_topic_create(_cluster, topic, partitions, replicationFactor), "topic create");

    /// <summary>
    /// The librdkafka that Confluent.Kafka loaded: it picks one of several builds (one needs libsasl2, others are
    /// linked statically) and the fault API must call into that very library, whose handles these are.
    /// </summary>
    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Library)
        {
            return IntPtr.Zero;
        }

        const string maps = "/proc/self/maps";
        var loaded = File.Exists(maps)
            ? File.ReadLines(maps).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(p => p.Length >= 6).Select(p => p[5]).FirstOrDefault(f => Path.GetFileName(f).Contains("librdkafka", StringComparison.Ordinal))
            : null;
        return loaded is not null && NativeLibrary.TryLoad(loaded, out var handle) ? handle : IntPtr.Zero;
    }

    private int Broker(int id) => id >= 1 && id <= Brokers ? id : throw new ArgumentOutOfRangeException(nameof(id), id, $"the mock cluster's brokers are 1 to {Brokers}");

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new KafkaException(new Error((ErrorCode)error, $"mock cluster: {what} failed"));
        }
    }

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_handle_mock_cluster(IntPtr rk);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_test_fatal_error(IntPtr rk, int error, string reason);

    [LibraryImport(Library)]
    private static partial int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

    [LibraryImport(Library)]
    private static partial int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);

    [LibraryImport(Library)]
    private static partial int rd_kafka_mock_broker_set_rtt(IntPtr cluster, int brokerId, int rttMs);

    [LibraryImport(Library)]
    private static partial void rd_kafka_mock_push_request_errors_array(IntPtr cluster, short apiKey, nuint count, int[] errors);

    [LibraryImport(Library)]
    private static partial void rd_kafka_mock_clear_request_errors(IntPtr cluster, short apiKey);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_mock_coordinator_set(IntPtr cluster, string keyType, string key, int brokerId);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_mock_partition_set_leader(IntPtr cluster, string topic, int partition, int brokerId);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_mock_topic_create(IntPtr cluster, string topic, int partitions, int replicationFactor);
}

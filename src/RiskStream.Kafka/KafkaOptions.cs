using Microsoft.Extensions.Configuration;
using RiskStream.Core.Options;

namespace RiskStream.Kafka;

/// <summary>
/// How the process reaches Kafka (configuration section <c>RiskStream:Kafka</c>): the cluster, librdkafka properties
/// passed through (security among them), and the consumer's and producer's cadence. Declared in <see cref="Declared"/>.
/// </summary>
public sealed record KafkaOptions
{
    /// <summary>Bootstrap servers; empty means the embedded broker.</summary>
    public string BootstrapServers { get; init; } = "";

    public int EmbeddedBrokers { get; init; } = 1;

    /// <summary>librdkafka properties passed through (security.protocol, sasl.*, ssl.*); values never logged.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();

    /// <summary>File holding sasl.password, read at start.</summary>
    public string SaslPasswordFile { get; init; } = "";

    public int MaxBatchSize { get; init; } = 1024;

    public int MaxBufferedMessages { get; init; } = 8192;

    public TimeSpan CommitInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public int FetchWaitMaxMs { get; init; } = 5;

    /// <summary>
    /// fetch.wait.max.ms against the embedded broker: it holds an empty fetch for the whole wait even as data arrives
    /// (a real broker answers at once), so the wait adds to every reading's latency there.
    /// </summary>
    public int EmbeddedFetchWaitMaxMs { get; init; } = 1;

    public double LingerMs { get; init; } = 1;

    /// <summary>Every option of the section, its range and meaning.</summary>
    public static OptionSet<KafkaOptions> Declared { get; } = new(
        "RiskStream:Kafka",
        new KafkaOptions(),
        [
            Declare.Text<KafkaOptions>("BootstrapServers", o => o.BootstrapServers, (o, v) => o with { BootstrapServers = v }, "host:port[,host:port...]", "Kafka bootstrap servers; empty: the embedded broker", "--kafka", v => v.Split(',').All(h => h.Trim().Contains(':', StringComparison.Ordinal)), shownDefault: "(empty: embedded broker)"),
            Declare.Int<KafkaOptions>("EmbeddedBrokers", o => o.EmbeddedBrokers, (o, v) => o with { EmbeddedBrokers = v }, 1, 9, "brokers of the embedded mock cluster", "--brokers"),
            Declare.Text<KafkaOptions>("SaslPasswordFile", o => o.SaslPasswordFile, (o, v) => o with { SaslPasswordFile = v }, "a file path", "file holding sasl.password (or set RiskStream__Kafka__Properties__sasl.password in the environment)", shownDefault: "(none)"),
            Declare.Int<KafkaOptions>("MaxBatchSize", o => o.MaxBatchSize, (o, v) => o with { MaxBatchSize = v }, 1, 100_000, "most messages per consumed batch"),
            Declare.Int<KafkaOptions>("MaxBufferedMessages", o => o.MaxBufferedMessages, (o, v) => o with { MaxBufferedMessages = v }, 1, 10_000_000, "consumed, not yet processed messages above which partitions pause"),
            Declare.Duration<KafkaOptions>("CommitInterval", o => o.CommitInterval, (o, v) => o with { CommitInterval = v }, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(5), "how often completed offsets are committed"),
            Declare.Int<KafkaOptions>("FetchWaitMaxMs", o => o.FetchWaitMaxMs, (o, v) => o with { FetchWaitMaxMs = v }, 0, 10_000, "librdkafka fetch.wait.max.ms against a Kafka cluster (a broker answers as soon as data arrives: this bounds the wait of an idle fetch)"),
            Declare.Int<KafkaOptions>("EmbeddedFetchWaitMaxMs", o => o.EmbeddedFetchWaitMaxMs, (o, v) => o with { EmbeddedFetchWaitMaxMs = v }, 0, 1_000, "librdkafka fetch.wait.max.ms on the embedded broker, which holds an empty fetch for the whole wait even as data arrives (a real broker answers at once)"),
            Declare.Double<KafkaOptions>("LingerMs", o => o.LingerMs, (o, v) => o with { LingerMs = v }, 0, 5_000, "producer linger.ms: latency against batching"),
        ],
        subsections: ["Properties"]);

    /// <summary>The options from configuration, with <c>Properties</c> and the SASL password file read.</summary>
    public static KafkaOptions Bind(IConfiguration configuration)
    {
        var options = Declared.Bind(configuration);
        var properties = configuration.GetSection("RiskStream:Kafka:Properties").GetChildren()
            .Where(c => c.Value is not null)
            .ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal);
        if (options.SaslPasswordFile.Length > 0)
        {
            if (!File.Exists(options.SaslPasswordFile))
            {
                throw new OptionsException($"RiskStream:Kafka:SaslPasswordFile = '{options.SaslPasswordFile}': the file does not exist");
            }

            properties["sasl.password"] = File.ReadAllText(options.SaslPasswordFile).Trim();
        }

        return options with { Properties = properties };
    }

    public ConsumerSettings Consumer(string bootstrap, string groupId) => new()
    {
        BootstrapServers = bootstrap,
        GroupId = groupId,
        Properties = Properties,
        MaxBatchSize = MaxBatchSize,
        MaxBufferedMessages = MaxBufferedMessages,
        CommitInterval = CommitInterval,
        FetchWaitMaxMs = BootstrapServers.Length == 0 ? EmbeddedFetchWaitMaxMs : FetchWaitMaxMs,
    };

    public ProducerSettings Producer(string bootstrap) => new()
    {
        BootstrapServers = bootstrap,
        Properties = Properties,
        LingerMs = LingerMs,
    };
}

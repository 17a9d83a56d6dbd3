using Confluent.Kafka;

namespace RiskStream.Kafka.Tests;

public sealed class SettingsTests
{
    private static readonly Dictionary<string, string> Security = new()
    {
        ["security.protocol"] = "SASL_SSL",
        ["sasl.mechanism"] = "SCRAM-SHA-512",
        ["sasl.username"] = "riskstream",
        ["sasl.password"] = "from-the-environment",
        ["ssl.ca.location"] = "/etc/riskstream/ca.pem",
    };

    [Fact]
    public void Security_properties_pass_through_to_consumer_and_producer_unchanged()
    {
        var consumer = new ConsumerSettings { BootstrapServers = "k:9093", GroupId = "g", Properties = Security }.ToConfig();
        var producer = new ProducerSettings { BootstrapServers = "k:9093", Properties = Security }.ToConfig();
        foreach (var (key, value) in Security)
        {
            Assert.Equal(value, consumer.Get(key));
            Assert.Equal(value, producer.Get(key));
        }
    }

    [Fact]
    public void The_pipeline_owns_commit_semantics_whatever_the_properties_say()
    {
        var consumer = new ConsumerSettings
        {
            BootstrapServers = "k:9092",
            GroupId = "g",
            Properties = new Dictionary<string, string> { ["enable.auto.offset.store"] = "true" },
            CommitInterval = TimeSpan.FromMilliseconds(250),
        }.ToConfig();
        Assert.False(consumer.EnableAutoOffsetStore);
        Assert.Equal(250, consumer.AutoCommitIntervalMs);
        var producer = new ProducerSettings { BootstrapServers = "k:9092" }.ToConfig();
        Assert.True(producer.EnableIdempotence);
        Assert.Equal(Acks.All, producer.Acks);
    }
}

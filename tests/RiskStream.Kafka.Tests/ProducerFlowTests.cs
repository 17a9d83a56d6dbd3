using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using Confluent.Kafka;
using RiskStream.Testing;
using RiskStream.Kafka.Tests.Support;

namespace RiskStream.Kafka.Tests;

[Collection(BrokerCollection.Name)]
public sealed class ProducerFlowTests(BrokerFixture kafka) : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private IMaterializer _materializer => Sys.Materializer();

    [Fact]
    public async Task Pass_through_flows_on_only_after_every_message_was_acknowledged()
    {
        var topic = kafka.NewTopic("prod.pass");
        using var producer = kafka.Producer();
        var metrics = KafkaMetrics.Unregistered();
        var latencies = new LatencyRecorder();
        var envelopes = Enumerable.Range(0, 50).Select(i => new ProducerEnvelope<int>(
            Enumerable.Range(0, i % 5).Select(k => new OutboundMessage(topic, [(byte)k], [(byte)i], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())).ToArray(), i)).ToArray();

        var passed = await Source.From(envelopes)
            .Via(KafkaFlow.Produce<int>(producer, maxInFlight: 8, metrics, latencies.Record))
            .RunWith(Sink.Seq<int>(), _materializer)
            .WaitAsync(Deadline);

        Assert.Equal(Enumerable.Range(0, 50), passed.Order());
        var expected = envelopes.Sum(e => e.Messages.Count);
        Assert.Equal(expected, kafka.HighWatermarkSum(topic));
        Assert.Equal(expected, latencies.Count);
    }

    [Fact]
    public async Task Plain_sink_completes_once_everything_is_acknowledged()
    {
        var topic = kafka.NewTopic("prod.plain");
        using var producer = kafka.Producer();
        var batches = Enumerable.Range(0, 20).Select(i => (IReadOnlyList<OutboundMessage>)[new OutboundMessage(topic, [(byte)i], [1]), new OutboundMessage(topic, [(byte)i], [2])]);
        await Source.From(batches).RunWith(KafkaSink.Plain(producer), _materializer).WaitAsync(Deadline);
        Assert.Equal(40, kafka.HighWatermarkSum(topic));
    }

    [Fact]
    public void Upstream_completion_waits_for_outstanding_acknowledgements()
    {
        var topic = kafka.NewTopic("prod.flush");
        using var producer = kafka.Producer();
        var (pub, sub) = this.SourceProbe<ProducerEnvelope<string>>()
            .Via(KafkaFlow.Produce<string>(producer))
            .ToMaterialized(this.SinkProbe<string>(), Keep.Both)
            .Run(_materializer);

        sub.Request(10);
        pub.SendNext(new ProducerEnvelope<string>([new OutboundMessage(topic, null, [1]), new OutboundMessage(topic, null, [2])], "a"));
        pub.SendComplete();
        Assert.Equal("a", sub.ExpectNext(Deadline));
        sub.ExpectComplete();
        Assert.Equal(2, kafka.HighWatermarkSum(topic));
    }

    [Fact]
    public void A_message_that_cannot_be_delivered_fails_the_stage_and_its_input_is_not_passed_on()
    {
        var topic = kafka.NewTopic("prod.fail");
        using var producer = kafka.Producer();
        var tooLarge = new byte[8 * 1024 * 1024];
        var (pub, sub) = this.SourceProbe<ProducerEnvelope<string>>()
            .Via(KafkaFlow.Produce<string>(producer))
            .ToMaterialized(this.SinkProbe<string>(), Keep.Both)
            .Run(_materializer);

        sub.Request(10);
        pub.SendNext(new ProducerEnvelope<string>([new OutboundMessage(topic, null, tooLarge)], "never"));
        var error = sub.ExpectError();
        Assert.Contains("producing to prod.fail", Assert.IsType<PermanentKafkaException>(error).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broker_refusing_the_principal_fails_the_stage_as_permanent_and_a_timeout_is_retried()
    {
        using var broker = EmbeddedBroker.Start();
        broker.EnsureTopics("prod.acl");
        using var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerSettings { BootstrapServers = broker.BootstrapServers }.ToConfig()).Build();
        var (pub, sub) = this.SourceProbe<ProducerEnvelope<string>>()
            .Via(KafkaFlow.Produce<string>(producer))
            .ToMaterialized(this.SinkProbe<string>(), Keep.Both)
            .Run(_materializer);
        sub.Request(10);

        // A timed-out request is retried by the client: the envelope passes.
        broker.Faults.PushRequestErrors(ApiKey.Produce, ErrorCode.RequestTimedOut, ErrorCode.RequestTimedOut);
        pub.SendNext(new ProducerEnvelope<string>([new OutboundMessage("prod.acl", null, [1])], "retried"));
        Assert.Equal("retried", sub.ExpectNext(Deadline));

        // Not authorised: no retry heals that.
        broker.Faults.PushRequestErrors(ApiKey.Produce, ErrorCode.TopicAuthorizationFailed);
        pub.SendNext(new ProducerEnvelope<string>([new OutboundMessage("prod.acl", null, [2])], "refused"));
        var error = Assert.IsType<PermanentKafkaException>(sub.ExpectError());
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, error.Error.Code);
        Assert.Contains("riskstream acls", error.Message, StringComparison.Ordinal);
    }
}

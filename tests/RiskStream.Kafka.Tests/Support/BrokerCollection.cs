using RiskStream.Testing;

namespace RiskStream.Kafka.Tests.Support;

/// <summary>Tests that share one embedded broker.</summary>
[CollectionDefinition(Name)]
public sealed class BrokerCollection : ICollectionFixture<BrokerFixture>
{
    public const string Name = "embedded broker";
}

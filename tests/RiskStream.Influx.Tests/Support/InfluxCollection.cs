using RiskStream.Testing;

namespace RiskStream.Influx.Tests.Support;

/// <summary>Tests that share one influxd.</summary>
[CollectionDefinition(Name)]
public sealed class InfluxCollection : ICollectionFixture<InfluxFixture>
{
    public const string Name = "influxd";
}

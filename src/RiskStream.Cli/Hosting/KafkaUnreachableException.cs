namespace RiskStream.Cli.Hosting;

/// <summary>A run that ended without ever reaching its Kafka cluster (no partition was ever assigned to its group).</summary>
internal sealed class KafkaUnreachableException(string message) : Exception(message);

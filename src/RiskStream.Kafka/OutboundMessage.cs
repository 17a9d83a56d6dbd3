using Confluent.Kafka;

namespace RiskStream.Kafka;

/// <summary>One message to produce.</summary>
/// <param name="SourceTimestampMs">Append time of the input that caused it (Unix ms), for the latency histogram; 0 if none.</param>
/// <param name="Partition">Explicit partition, or -1 for the partitioner's choice by key.</param>
public readonly record struct OutboundMessage(string Topic, byte[]? Key, byte[] Value, long SourceTimestampMs = 0, Headers? Headers = null, int Partition = -1);

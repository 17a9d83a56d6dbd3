using Confluent.Kafka;

namespace RiskStream.Kafka;

/// <summary>A contiguous run of offsets of one partition that travels downstream as one batch.</summary>
internal sealed class OffsetRange(PartitionProgress owner, long first, long last)
{
    public PartitionProgress Owner { get; } = owner;

    public long First { get; } = first;

    public long Last { get; } = last;

    public bool Emitted { get; set; }

    public bool Done { get; set; }
}

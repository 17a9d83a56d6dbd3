using RiskStream.Core.Registry;
using RiskStream.Scenarios.Engine;

namespace RiskStream.Pipeline.Lanes;

/// <summary>
/// What the handlers of one lane share while it handles a message: the stage reached, the warning events caused, the
/// processing time of the batch, and the input partition each site's messages come on (where its state records go).
/// </summary>
/// <remarks>Not thread-safe: one per lane.</remarks>
internal sealed class LaneStep(ParkRegistry registry)
{
    private readonly int[] _partitionOf = Enumerable.Repeat(-1, registry.SiteList.Count).ToArray();

    public ProcessingStage Stage { get; set; }

    /// <summary>Warning events the current message caused, published by the lane once the handler returns.</summary>
    public List<PublishedWarning> Events { get; } = [];

    /// <summary>The consumer assignment the batch being handled was consumed under (<see cref="Kafka.ConsumedBatch.Generation"/>).</summary>
    public long Generation { get; set; }

    /// <summary>Processing time of the batch being handled (Unix ms).</summary>
    public long NowMs { get; set; }

    /// <summary>The site's messages come on this input partition (the same in every co-partitioned topic).</summary>
    public void Seen(SiteDef site, int partition) => _partitionOf[site.Index] = partition;

    /// <summary>The input partition of the site's messages, or -1 when none came yet.</summary>
    public int PartitionOf(SiteDef site) => _partitionOf[site.Index];
}

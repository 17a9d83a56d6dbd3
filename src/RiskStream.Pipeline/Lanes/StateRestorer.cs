using System.Text;
using RiskStream.Kafka;
using RiskStream.Pipeline.State;
using RiskStream.Scenarios.Engine;

namespace RiskStream.Pipeline.Lanes;

/// <summary>
/// Restores the scenario state of a partition from <c>riskstream.warning-state</c> when the partition is newly
/// assigned (a fresh generation of the consumer's assignment): the sites of that partition that hash to this lane
/// are forgotten, then rebuilt from their records. A record that cannot be applied is skipped and counted
/// (<c>riskstream_pipeline_processing_errors_total{topic="riskstream.warning-state",stage="restore"}</c>).
/// </summary>
/// <remarks>Not thread-safe: one per lane.</remarks>
internal sealed class StateRestorer(PipelineContext context, IWarningStateStore store, ScenarioEngine engine, LaneStep step, int lanes, int laneIndex)
{
    private readonly Dictionary<int, long> _restored = [];

    public void RestoreIfNewlyAssigned(ConsumedBatch batch)
    {
        if (_restored.TryGetValue(batch.Partition, out var generation) && generation == batch.Generation)
        {
            return;
        }

        _restored[batch.Partition] = batch.Generation;
        var registry = context.Registry;
        var records = store.Load(batch.Partition)
            .Where(r => r.Site is not null && r.Scenario is not null && registry.Sites.ContainsKey(r.Site) && RiskPipeline.LaneOf(Encoding.UTF8.GetBytes(r.Site), lanes) == laneIndex)
            .ToArray();
        foreach (var site in records.Select(r => r.Site).Distinct(StringComparer.Ordinal))
        {
            engine.Forget(registry.Sites[site]);
            step.Seen(registry.Sites[site], batch.Partition);
        }

        foreach (var record in records)
        {
            try
            {
                engine.Restore(record);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or NullReferenceException or KeyNotFoundException or IndexOutOfRangeException or FormatException)
            {
                // A record this version cannot apply (written by hand, or by a version with other fields) is that
                // warning's loss alone: the site's readings raise it again if its conditions still hold.
                context.Metrics.ProcessingErrors.WithLabels(Core.Topics.WarningState, "restore").Inc();
            }
        }

        if (records.Length > 0)
        {
            context.Metrics.StateRestored.Inc(records.Length);
        }
    }
}

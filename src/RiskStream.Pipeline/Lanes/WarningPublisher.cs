using System.Text;
using System.Text.Json;
using RiskStream.Core;
using RiskStream.Core.Contracts;
using RiskStream.Kafka;
using RiskStream.Scenarios.Cap;
using RiskStream.Scenarios.Engine;

namespace RiskStream.Pipeline.Lanes;

/// <summary>
/// Delivers warning events: each event as JSON to <c>riskstream.warnings</c> and as CAP 1.2 to <c>riskstream.cap</c>,
/// and both to every audience's own topics (<c>riskstream.warnings.{gov,ent}.&lt;id&gt;</c>,
/// <c>riskstream.cap.{gov,ent}.&lt;id&gt;</c>), keyed by warning id.
/// </summary>
/// <remarks>Not thread-safe: one per lane.</remarks>
internal sealed class WarningPublisher(PipelineContext context, LaneStep step, StateAudit? audit = null)
{
    private readonly CapWriter _cap = new(context.Registry);

    /// <summary>Renders and appends every event in <paramref name="events"/>, then clears it.</summary>
    public void Publish(List<PublishedWarning> events, List<OutboundMessage> outputs, long sourceTs)
    {
        foreach (var published in events)
        {
            Add(outputs, published, sourceTs);
        }

        events.Clear();
    }

    /// <summary>Tells the host of each event delivered (after the message's outputs are final).</summary>
    public void Announce(IReadOnlyList<WarningEvent> delivered)
    {
        foreach (var warning in delivered)
        {
            context.Metrics.Warnings.WithLabels(warning.Scenario, warning.Level.Wire(), warning.Status.Wire()).Inc();
            context.OnWarning?.Invoke(warning);
        }
    }

    private void Add(List<OutboundMessage> outputs, PublishedWarning published, long sourceTs)
    {
        var warning = published.Event;
        audit?.Saw(warning);
        step.Stage = ProcessingStage.Serialise;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(warning, ContractJson.Default.WarningEvent);
        step.Stage = ProcessingStage.Render;
        var cap = Encoding.UTF8.GetBytes(_cap.Write(published));
        var key = Encoding.UTF8.GetBytes(warning.Id);
        outputs.Add(new OutboundMessage(Topics.Warnings, key, bytes, sourceTs));
        outputs.Add(new OutboundMessage(Topics.Cap, key, cap));
        foreach (var audience in published.Recipients)
        {
            outputs.Add(new OutboundMessage(Topics.WarningsOf(audience.Type, audience.Id), key, bytes));
            outputs.Add(new OutboundMessage(Topics.CapOf(audience.Type, audience.Id), key, cap));
        }
    }
}

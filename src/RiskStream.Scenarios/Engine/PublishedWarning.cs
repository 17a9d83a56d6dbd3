using RiskStream.Core.Contracts;
using RiskStream.Scenarios.Definitions;

namespace RiskStream.Scenarios.Engine;

/// <summary>
/// A warning event ready to deliver, with its scenario and the earlier events of the same warning that a delivery
/// format may refer to (CAP updates reference the first and the previous message).
/// </summary>
/// <param name="First">The warning's first published event; null when this is it.</param>
/// <param name="Previous">The event published before this one; null when this is the first.</param>
/// <param name="Recipients">Every audience the event goes to (the event itself may list fewer when they are too many).</param>
public sealed record PublishedWarning(WarningEvent Event, ScenarioDefinition Scenario, EventStamp? First, EventStamp? Previous, IReadOnlyList<Audience> Recipients);

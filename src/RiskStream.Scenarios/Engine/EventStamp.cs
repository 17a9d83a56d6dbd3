namespace RiskStream.Scenarios.Engine;

/// <summary>
/// Which event of a warning: its sequence number and time. A delivery format that refers back to earlier messages
/// of the same warning (CAP <c>references</c>) derives its identifiers from these.
/// </summary>
public readonly record struct EventStamp(long Seq, DateTimeOffset Time);

namespace RiskStream.Core.Contracts;

/// <summary>Lifecycle step a warning event reports.</summary>
public enum WarningStatus
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("raised")] Raised,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("escalated")] Escalated,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("deescalated")] Deescalated,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("updated")] Updated,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("acknowledged")] Acknowledged,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("resolved")] Resolved,

    /// <summary>Disposed: what happened is recorded (and confirmed where the level requires it); the warning's last event.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("closed")] Closed,
}

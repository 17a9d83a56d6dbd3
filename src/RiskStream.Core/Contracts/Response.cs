namespace RiskStream.Core.Contracts;

/// <summary>What a party's answer on its acknowledgement topic does (acknowledgement.v2 <c>kind</c>; absent = acknowledge).</summary>
public enum ResponseKind
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("acknowledge")] Acknowledge,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("receipt")] Receipt,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("dispose")] Dispose,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("shelve")] Shelve,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("unshelve")] Unshelve,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("assistance")] Assistance,
}

/// <summary>
/// A party's part in a warning, from the registry and the scenario: the <c>owner</c> enterprise of the site, the
/// <c>regulator</c>s (its jurisdiction and those above it), <c>neighbour</c>s within the radius, <c>assisting</c>
/// enterprises engaged for a capability. What a party may do follows from it.
/// </summary>
public enum ResponseRole
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("owner")] Owner,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("regulator")] Regulator,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("neighbour")] Neighbour,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("assisting")] Assisting,
}

/// <summary>Where an audience stands with a warning.</summary>
public enum ResponseStatus
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("notified")] Notified,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("received")] Received,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("acknowledged")] Acknowledged,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("overdue")] Overdue,
}

/// <summary>Why a warning was closed: what really happened (also the label the data scientists learn from).</summary>
public enum DispositionReason
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("confirmed_hazard")] ConfirmedHazard,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("false_alarm")] FalseAlarm,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("maintenance")] Maintenance,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("instrument_fault")] InstrumentFault,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("drill")] Drill,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("other")] Other,
}

/// <summary>An assisting enterprise's answer to a request.</summary>
public enum AssistanceAnswer
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("accept")] Accept,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("decline")] Decline,
}

/// <summary>Where an assistance request stands.</summary>
public enum AssistanceStatus
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("requested")] Requested,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("accepted")] Accepted,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("declined")] Declined,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("unanswered")] Unanswered,
}

/// <summary>
/// One audience's response to a warning: when it was notified, when it confirmed receipt, when it acknowledged, and
/// by when it must (owner and regulators); <c>overdue</c> once that time has passed without an acknowledgement.
/// </summary>
public sealed record PartyResponse(Party Party, ResponseRole Role, ResponseStatus Status, DateTimeOffset NotifiedAt)
{
    public DateTimeOffset? ReceivedAt { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>When the acknowledgement is due (owner and regulators only).</summary>
    public DateTimeOffset? DueAt { get; init; }
}

/// <summary>How a warning was closed: the owner's disposition, and the regulator's confirmation where the level requires it.</summary>
public sealed record Disposition(DispositionReason Reason, Party Party, ResponseRole Role, string By, DateTimeOffset Time, string? Text)
{
    public IReadOnlyList<string>? Actions { get; init; }

    /// <summary>The regulator who confirmed (or itself closed) it, when the level requires a confirmation.</summary>
    public Party? ConfirmedBy { get; init; }

    public string? ConfirmedByName { get; init; }

    public DateTimeOffset? ConfirmedAt { get; init; }
}

/// <summary>One entry of a warning's audit trail: who did what, when, under which role.</summary>
public sealed record TrailEntry(DateTimeOffset Time, Party Party, ResponseRole Role, string By, ResponseKind Action, string Detail)
{
    /// <summary>The sensor shelved or unshelved, the capability answered.</summary>
    public string? Subject { get; init; }
}

/// <summary>A maintenance window (RiskStream's silences) covering the site, or one sensor of it: out of service, who declared it, until when.</summary>
public sealed record OutOfService(string? Sensor, DateTimeOffset From, DateTimeOffset Until, string DeclaredBy, string Reason);

/// <summary>One sensor's contribution to the scenario held back for a bounded time (ISA-18.2 shelving).</summary>
public sealed record Shelf(string Sensor, Party Party, string By, DateTimeOffset From, DateTimeOffset Until, string Reason);

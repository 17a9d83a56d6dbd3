namespace RiskStream.Core.Contracts;

/// <summary>
/// A party's answer to a warning, sent on <c>riskstream.acks.gov.&lt;j&gt;</c> or <c>riskstream.acks.ent.&lt;e&gt;</c>:
/// the topic, guarded by ACLs, proves the sender. Schema: <c>schemas/acknowledgement.v2.json</c> (a v1 message, without
/// <see cref="Kind"/>, is an acknowledgement).
/// </summary>
public sealed record Acknowledgement(
    string WarningId,
    Party Party,
    string By,
    DateTimeOffset Time,
    string? Text,
    IReadOnlyList<string>? Actions)
{
    public ResponseKind Kind { get; init; }

    /// <summary>dispose: what really happened.</summary>
    public DispositionReason? Disposition { get; init; }

    /// <summary>shelve, unshelve: the sensor whose contribution is shelved.</summary>
    public string? Sensor { get; init; }

    /// <summary>shelve: until when (bounded by the scenario's maximum for the warning's level).</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>assistance: the capability asked for.</summary>
    public string? Capability { get; init; }

    /// <summary>assistance: accept or decline.</summary>
    public AssistanceAnswer? Answer { get; init; }

    /// <summary>assistance accepted: when the team expects to arrive.</summary>
    public DateTimeOffset? Eta { get; init; }
}

namespace RiskStream.Core.Contracts;

/// <summary>An acknowledgement (or feedback) as recorded in a warning: the audit trail of each party's part.</summary>
public sealed record AckRecord(Party Party, string By, DateTimeOffset Time, string? Text)
{
    /// <summary>Actions the party reports having taken.</summary>
    public IReadOnlyList<string>? Actions { get; init; }
}

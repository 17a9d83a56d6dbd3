namespace RiskStream.Core.Contracts;

/// <summary>
/// How often a party has acknowledged a warning, and when first and last: a warning's record keeps each party's
/// latest acknowledgement in full and the rest as this count, so it stays bounded however often a party answers.
/// </summary>
public sealed record AckSummary(Party Party, int Count, DateTimeOffset First, DateTimeOffset Last);

using RiskStream.Core.Contracts;

namespace RiskStream.Kpis;

/// <summary>What happened to a warning, once each, at its own time: what the alarm KPIs count.</summary>
internal enum FactKind
{
    Raised,
    Fleeting,
    Acknowledged,
    AckOverdue,
    Disposed,
    DisposeOverdue,
    Shelved,
    OutOfService,
    AssistanceRequested,
    AssistanceAccepted,
    AssistanceDeclined,
    AssistanceUnanswered,
}

/// <summary>One fact of one warning; <see cref="Seconds"/> is how long it took where that is the figure (a response time).</summary>
internal sealed record AlarmFact(FactKind Kind, DateTimeOffset Time, WarningTraits Warning)
{
    public double Seconds { get; init; }

    public ResponseRole? Role { get; init; }

    /// <summary>The warning's level when it happened.</summary>
    public WarningLevel Level { get; init; }

    public DispositionReason? Reason { get; init; }

    /// <summary>The agreement of an assistance fact: engaged by, enterprise, capability, basis.</summary>
    public (string EngagedBy, string Enterprise, string Capability, string Basis)? Agreement { get; init; }
}

/// <summary>What a warning is counted under: its scopes, scenario, first evidence sensor, level and model at the raise.</summary>
internal sealed record WarningTraits(string Id, string Scenario, string Site, string Enterprise, string Jurisdiction, string Sensor, WarningLevel Level, string Model, DateTimeOffset RaisedAt)
{
    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>The facts already counted (each once, whatever events repeat them).</summary>
    public HashSet<string> Counted { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset LastEvent { get; set; } = RaisedAt;
}

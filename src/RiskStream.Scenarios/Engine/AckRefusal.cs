namespace RiskStream.Scenarios.Engine;

/// <summary>Why an acknowledgement was refused.</summary>
public enum AckRefusal
{
    None,
    Duplicate,
    UnknownWarning,
    NotAnAudience,
}

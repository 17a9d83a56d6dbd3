namespace RiskStream.Scenarios.Engine;

/// <summary>Why a party's answer to a warning was refused.</summary>
public enum AckRefusal
{
    None,
    Duplicate,
    UnknownWarning,
    NotAnAudience,

    /// <summary>The sender's role in the warning does not allow this kind of answer (dead letter <c>not_permitted</c>).</summary>
    NotPermitted,

    /// <summary>The answer does not fit the warning (a sensor it does not watch, a shelving too long, no open request…).</summary>
    Invalid,
}

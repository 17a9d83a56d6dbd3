using RiskStream.Core.Contracts;

namespace RiskStream.Scenarios.Definitions;

/// <summary>What happens when nobody acknowledges a warning in time.</summary>
public enum EscalationAction
{
    /// <summary>The level rises by one (up to red).</summary>
    RaiseLevel,

    /// <summary>The next jurisdiction up that is not yet an audience is added.</summary>
    AddParent,
}

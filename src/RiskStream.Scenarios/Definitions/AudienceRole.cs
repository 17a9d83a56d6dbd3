using RiskStream.Core.Contracts;

namespace RiskStream.Scenarios.Definitions;

/// <summary>Which parties an audience entry stands for, for actions per role.</summary>
public enum AudienceRole
{
    Jurisdiction,
    Higher,
    Owner,
    Neighbour,
    Assisting,
}

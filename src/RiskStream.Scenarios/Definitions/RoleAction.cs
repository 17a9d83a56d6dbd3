using RiskStream.Core.Contracts;

namespace RiskStream.Scenarios.Definitions;

/// <summary>An action recommended to a role from a level up.</summary>
public sealed record RoleAction(AudienceRole Role, WarningLevel From, string Text);

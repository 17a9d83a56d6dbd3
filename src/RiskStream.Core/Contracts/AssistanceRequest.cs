namespace RiskStream.Core.Contracts;

/// <summary>
/// Obligation-based assistance asked of enterprises engaged by a jurisdiction for a capability (by government
/// purchase or as a project).
/// </summary>
public sealed record AssistanceRequest(string Capability, string Enterprise, string EngagedBy, string Basis, string Request);
